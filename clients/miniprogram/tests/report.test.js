const { boot, open, flush, text, exists, tap, type, signedIn, rootClasses } = require('./helpers')

let wx
beforeEach(() => {
  wx = boot()
  signedIn(wx)
})

const PLACE = {
  name: '百花里小区3号楼',
  address: '河南省郑州市中原区伊河路',
  latitude: 34.7466,
  longitude: 113.6253,
}

const CASE = {
  id: 41,
  number: 'ZY20250601-0041',
  title: '楼道灯坏了',
  status: 'dispatched',
  status_label: '已派单',
  handler: '网格员 王五',
}

function pickPhotos(...names) {
  wx.answers.chooseMedia = {
    type: 'image',
    tempFiles: names.map(n => ({ tempFilePath: `wxfile://tmp/${n}`, size: 1000, fileType: 'image' })),
  }
}

function photoPaths(comp) {
  return comp.querySelectorAll('.photo-img').map(n => n.data.src)
}

async function fillIn(comp, { description = '3号楼东单元楼道灯坏了一周', place = PLACE, photos = [] } = {}) {
  await type(comp, '#description', description)
  if (place) {
    wx.answers.chooseLocation = place
    await tap(comp, '#locate')
  }
  if (photos.length) {
    pickPhotos(...photos)
    await tap(comp, '#add-photo')
  }
}

test('refuses an empty description with a Chinese message and sends nothing', async () => {
  const comp = await open('report')
  const before = wx.requests.length
  await type(comp, '#description', '   ')
  await tap(comp, '#submit')
  expect(text(comp, '#error')).toBe('请填写问题描述。')
  expect(wx.requests.slice(before)).toEqual([])
  expect(text(comp, '#done')).toBeNull()
})

test('counts the characters up to 4000', async () => {
  const comp = await open('report')
  expect(comp.querySelector('#description').data.maxlength).toBe(4000)
  await type(comp, '#description', '楼道灯坏了')
  expect(text(comp, '#counter')).toBe('5/4000')
  await type(comp, '#description', 'x'.repeat(4100))
  expect(text(comp, '#counter')).toBe('4000/4000')
})

test('shows the chosen place and sends it as GCJ-02', async () => {
  wx.reply('POST', '/cases', 201, CASE)
  const comp = await open('report')
  await fillIn(comp)
  expect(text(comp, '#place-name')).toBe('百花里小区3号楼')
  expect(text(comp, '#place-address')).toBe('河南省郑州市中原区伊河路')
  await tap(comp, '#submit')
  const [sent] = wx.sent('POST', '/cases')
  expect(sent.data).toEqual({
    description: '3号楼东单元楼道灯坏了一周',
    location: { lon: 113.6253, lat: 34.7466, crs: 'gcj02' },
    address: '河南省郑州市中原区伊河路 百花里小区3号楼',
    channel: 'resident',
    public: false,
    external_id: expect.stringMatching(/^mp-[0-9a-z]+-[0-9a-z]{10}$/),
  })
})

test('without a place it sends no location', async () => {
  wx.reply('POST', '/cases', 201, CASE)
  const comp = await open('report')
  await fillIn(comp, { place: null })
  await tap(comp, '#submit')
  const [sent] = wx.sent('POST', '/cases')
  expect(sent.data.location).toBeUndefined()
  expect(sent.data.address).toBeUndefined()
})

test('the 公开到身边事 switch is sent as public', async () => {
  wx.reply('POST', '/cases', 201, CASE)
  const comp = await open('report')
  expect(text(comp, '.switch-row')).toBe('公开到身边事（不含联系方式）')
  await fillIn(comp)
  comp.querySelector('#public').dispatchEvent('change', { detail: { value: true } })
  await flush()
  await tap(comp, '#submit')
  expect(wx.sent('POST', '/cases')[0].data.public).toBe(true)
})

test('photos: images only, at most 9, and × removes one', async () => {
  const comp = await open('report')
  pickPhotos('a.jpg', 'b.jpg', 'c.jpg')
  await tap(comp, '#add-photo')
  expect(wx.calls.chooseMedia[0]).toMatchObject({ count: 9, mediaType: ['image'] })
  expect(photoPaths(comp)).toEqual(['wxfile://tmp/a.jpg', 'wxfile://tmp/b.jpg', 'wxfile://tmp/c.jpg'])

  await tap(comp, '#remove-1')
  expect(photoPaths(comp)).toEqual(['wxfile://tmp/a.jpg', 'wxfile://tmp/c.jpg'])
  expect(text(comp, '#photo-count')).toBe('已选 2 张，最多 9 张')

  pickPhotos('d.jpg', 'e.jpg', 'f.jpg', 'g.jpg', 'h.jpg', 'i.jpg', 'j.jpg')
  await tap(comp, '#add-photo')
  expect(wx.calls.chooseMedia[1].count).toBe(7)
  expect(photoPaths(comp)).toHaveLength(9)
  // full: the add tile is gone
  expect(exists(comp, '#add-photo')).toBe(false)
})

test('after a network failure everything is kept and the retry sends the same external_id', async () => {
  wx.replyOnce('POST', '/cases', wx.networkFailure('request:fail timeout'))
  wx.reply('POST', '/cases', 201, CASE)
  wx.reply('UPLOAD', '/cases/41/attachments', 201, { id: 1 })
  wx.reply('GET', '/me/wechat/templates', 200, {})
  const comp = await open('report')
  await fillIn(comp, { photos: ['a.jpg', 'b.jpg'] })
  await tap(comp, '#submit')

  expect(text(comp, '#error')).toBe('网络不可用，内容已保留，请稍后重试')
  expect(comp.querySelector('#description').data.value).toBe('3号楼东单元楼道灯坏了一周')
  expect(photoPaths(comp)).toEqual(['wxfile://tmp/a.jpg', 'wxfile://tmp/b.jpg'])
  expect(text(comp, '#place-name')).toBe('百花里小区3号楼')
  expect(text(comp, '#done')).toBeNull()
  // the draft with its id is kept on the phone
  const firstId = wx.sent('POST', '/cases')[0].data.external_id
  expect(wx.storage.report_draft.external_id).toBe(firstId)
  expect(wx.storage.report_draft.photos).toHaveLength(2)

  await tap(comp, '#submit')
  const posts = wx.sent('POST', '/cases')
  expect(posts).toHaveLength(2)
  expect(posts[1].data.external_id).toBe(firstId)
  expect(text(comp, '#done-number')).toBe('ZY20250601-0041')
})

test('the draft survives closing the page: reopened, it has the text and the same id', async () => {
  wx.reply('POST', '/cases', wx.networkFailure('request:fail'))
  let comp = await open('report')
  await fillIn(comp, { photos: ['a.jpg'] })
  await tap(comp, '#submit')
  const firstId = wx.sent('POST', '/cases')[0].data.external_id

  wx = rebootKeepingStorage(wx)
  wx.reply('POST', '/cases', 201, CASE)
  wx.reply('UPLOAD', '/cases/41/attachments', 201, { id: 1 })
  comp = await open('report')
  expect(comp.querySelector('#description').data.value).toBe('3号楼东单元楼道灯坏了一周')
  expect(photoPaths(comp)).toEqual(['wxfile://tmp/a.jpg'])
  await tap(comp, '#submit')
  expect(wx.sent('POST', '/cases')[0].data.external_id).toBe(firstId)
})

function rebootKeepingStorage(old) {
  const storage = old.storage
  const fresh = boot()
  Object.assign(fresh.storage, storage)
  return fresh
}

test('success: creates the case, then uploads each photo to it, then shows the confirmation', async () => {
  wx.reply('POST', '/cases', 201, CASE)
  wx.reply('UPLOAD', '/cases/41/attachments', 201, { id: 1 })
  wx.reply('GET', '/me/wechat/templates', 200, {})
  const comp = await open('report')
  await fillIn(comp, { photos: ['a.jpg', 'b.jpg'] })
  await tap(comp, '#submit')

  const uploads = wx.sent('UPLOAD', '/cases/41/attachments')
  expect(uploads.map(u => [u.filePath, u.name])).toEqual([
    ['wxfile://tmp/a.jpg', 'photo'],
    ['wxfile://tmp/b.jpg', 'photo'],
  ])
  expect(uploads[0].header.Authorization).toBe('Bearer full-token-1')
  // the case went first, without photos
  const order = wx.requests.filter(r => r.path.indexOf('/cases') === 0).map(r => r.method)
  expect(order).toEqual(['POST', 'UPLOAD', 'UPLOAD'])

  expect(text(comp, '#done-title')).toBe('已提交')
  expect(text(comp, '#done-number')).toBe('ZY20250601-0041')
  expect(text(comp, '#done-status')).toBe('已派单')
  expect(text(comp, '#done-handler')).toBe('网格员 王五')
  expect(wx.storage.report_draft).toBeUndefined()

  await tap(comp, '#progress')
  expect(wx.calls.switchTab.map(s => s.url)).toEqual(['/pages/cases/cases'])
})

test('without a handler in the answer it says the case is being assigned', async () => {
  const { handler, ...withoutHandler } = CASE
  wx.reply('POST', '/cases', 201, withoutHandler)
  wx.reply('GET', '/me/wechat/templates', 200, {})
  const comp = await open('report')
  await fillIn(comp)
  await tap(comp, '#submit')
  expect(text(comp, '#done-handler')).toBe('正在分派给网格员')
})

test('a failed photo upload is retried on the same case: the case is not created twice', async () => {
  wx.reply('POST', '/cases', 201, CASE)
  wx.replyOnce('UPLOAD', '/cases/41/attachments', 201, { id: 1 })
  wx.replyOnce('UPLOAD', '/cases/41/attachments', wx.networkFailure('request:fail timeout'))
  wx.reply('UPLOAD', '/cases/41/attachments', 201, { id: 2 })
  wx.reply('GET', '/me/wechat/templates', 200, {})
  const comp = await open('report')
  await fillIn(comp, { photos: ['a.jpg', 'b.jpg'] })
  await tap(comp, '#submit')

  expect(text(comp, '#error')).toBe('网络不可用，内容已保留，请稍后重试')
  expect(text(comp, '#pending')).toBe('问题已提交（编号 ZY20250601-0041），还有照片没有传完。')
  expect(text(comp, '#submit')).toBe('继续上传照片')
  // the photo already on the server can no longer be removed; the one waiting can
  expect(exists(comp, '#remove-0')).toBe(false)
  expect(exists(comp, '#remove-1')).toBe(true)

  await tap(comp, '#submit')
  expect(wx.sent('POST', '/cases')).toHaveLength(1)
  expect(wx.sent('UPLOAD', '/cases/41/attachments').map(u => u.filePath)).toEqual([
    'wxfile://tmp/a.jpg',
    'wxfile://tmp/b.jpg',
    'wxfile://tmp/b.jpg',
  ])
  expect(text(comp, '#done-number')).toBe('ZY20250601-0041')
})

test('a refusal from the server is shown as it is and the form is kept', async () => {
  wx.reply('POST', '/cases', 429, { detail: '提交太频繁，请稍后再试' })
  const comp = await open('report')
  await fillIn(comp)
  await tap(comp, '#submit')
  expect(text(comp, '#error')).toBe('提交太频繁，请稍后再试')
  expect(comp.querySelector('#description').data.value).toBe('3号楼东单元楼道灯坏了一周')
})

test('the same id with changed content (the lost reply had made the case) is not a second case', async () => {
  wx.replyOnce('POST', '/cases', wx.networkFailure())
  wx.replyOnce('POST', '/cases', 409, { detail: '外部编号“u3:mp-x”已存在且内容不同' })
  const comp = await open('report')
  await fillIn(comp)
  await tap(comp, '#submit')
  await type(comp, '#description', '3号楼东单元楼道灯坏了一周，晚上很黑')
  await tap(comp, '#submit')
  expect(text(comp, '#done-earlier')).toContain('网络中断前这件事已经提交成功')
  expect(text(comp, '#error')).toBeNull()
  expect(wx.storage.report_draft).toBeUndefined()
})

test('asks for exactly the configured templates of accepted/resolved/rate and posts the answer minus errMsg', async () => {
  wx.reply('POST', '/cases', 201, CASE)
  wx.reply('GET', '/me/wechat/templates', 200, { accepted: 'T-ACC', rate: 'T-RATE', notice: 'T-NOTICE' })
  wx.reply('POST', '/me/wechat/subscriptions', 200, { recorded: 2 })
  wx.answers.requestSubscribeMessage = { errMsg: 'requestSubscribeMessage:ok', 'T-ACC': 'accept', 'T-RATE': 'reject' }
  const comp = await open('report')
  await fillIn(comp)
  await tap(comp, '#submit')
  await flush()

  expect(wx.calls.showModal).toHaveLength(1)
  expect(wx.calls.requestSubscribeMessage).toHaveLength(1)
  expect(wx.calls.requestSubscribeMessage[0].tmplIds).toEqual(['T-ACC', 'T-RATE'])
  const [posted] = wx.sent('POST', '/me/wechat/subscriptions')
  expect(posted.data).toEqual({ 'T-ACC': 'accept', 'T-RATE': 'reject' })
  expect(text(comp, '#done-number')).toBe('ZY20250601-0041')
})

test('no configured template: nothing is asked', async () => {
  wx.reply('POST', '/cases', 201, CASE)
  wx.reply('GET', '/me/wechat/templates', 200, { notice: 'T-NOTICE' })
  const comp = await open('report')
  await fillIn(comp)
  await tap(comp, '#submit')
  await flush()
  expect(wx.calls.showModal).toEqual([])
  expect(wx.calls.requestSubscribeMessage).toEqual([])
  expect(wx.sent('POST', '/me/wechat/subscriptions')).toEqual([])
})

test('declining the reminder dialog asks WeChat nothing and posts nothing', async () => {
  wx.reply('POST', '/cases', 201, CASE)
  wx.reply('GET', '/me/wechat/templates', 200, { accepted: 'T-ACC', resolved: 'T-RES', rate: 'T-RATE' })
  wx.answers.showModal = { confirm: false, cancel: true }
  const comp = await open('report')
  await fillIn(comp)
  await tap(comp, '#submit')
  await flush()
  expect(wx.calls.requestSubscribeMessage).toEqual([])
  expect(wx.sent('POST', '/me/wechat/subscriptions')).toEqual([])
})

test('再反映一件 starts a new draft with a new external_id', async () => {
  wx.reply('POST', '/cases', 201, CASE)
  wx.reply('GET', '/me/wechat/templates', 200, {})
  const comp = await open('report')
  await fillIn(comp)
  await tap(comp, '#submit')
  const firstId = wx.sent('POST', '/cases')[0].data.external_id
  await tap(comp, '#again')
  expect(text(comp, '#done')).toBeNull()
  expect(comp.querySelector('#description').data.value).toBe('')
  expect(wx.storage.report_draft.external_id).not.toBe(firstId)
})

test('长辈版 adds the elder class', async () => {
  signedIn(wx, { elder_mode: true })
  const comp = await open('report')
  expect(rootClasses(comp)).toContain('elder')
})
