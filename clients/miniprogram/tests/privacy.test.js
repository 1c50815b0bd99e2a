/**
 * WeChat's privacy authorisation: app.js listens with wx.onNeedPrivacyAuthorization, and the
 * report page's popup asks before a privacy API (choosing a place or photos) goes on. Refusals
 * — of the guide, of the mini-program's permission, of WeChat's own in the phone — are each
 * explained with where to turn it back on, and the report goes in without them.
 */
const { boot, open, flush, text, exists, tap, signedIn } = require('./helpers')

/** The page's privacy popup (a component: its nodes are inside it). */
function popup(comp) {
  return comp.querySelector('#privacy')
}

let wx
beforeEach(() => {
  wx = boot()
  signedIn(wx)
  wx.reply('GET', '/consent/me', 200, { agreed: true, needs_renewal: false })
})

test('app.js listens for the privacy authorisation at launch', () => {
  expect(typeof wx.privacy.listener).toBe('function')
})

test('app.json turns the privacy check on and declares the location API it uses', () => {
  const app = require('../app.json')
  expect(app.__usePrivacyCheck__).toBe(true)
  expect(app.requiredPrivateInfos).toEqual(['chooseLocation'])
})

test('choosing a place asks first; agreeing lets the place be chosen', async () => {
  wx.privacy.needed = true
  wx.answers.chooseLocation = { name: '百花里3号楼', address: '伊河路', latitude: 34.75, longitude: 113.6 }
  const comp = await open('report')
  expect(exists(popup(comp), '#privacy-popup')).toBe(false)
  await tap(comp, '#locate')
  expect(exists(popup(comp), '#privacy-popup')).toBe(true)
  expect(text(popup(comp), '#privacy-text')).toContain('选择位置需要用到您的个人信息')
  expect(text(popup(comp), '#privacy-guide')).toBe('查看《原点在线小程序隐私保护指引》')
  // WeChat is told the popup was shown, before any answer
  expect(wx.calls.privacyAnswers).toEqual([{ event: 'exposureAuthorization' }])
  await tap(popup(comp), '#privacy-guide')
  expect(wx.calls.openPrivacyContract).toHaveLength(1)
  popup(comp).querySelector('#privacy-agree').dispatchEvent('agreeprivacyauthorization')
  await flush()
  expect(wx.calls.privacyAnswers[1]).toEqual({ buttonId: 'privacy-agree', event: 'agree' })
  expect(exists(popup(comp), '#privacy-popup')).toBe(false)
  expect(text(comp, '#place-name')).toBe('百花里3号楼')
})

test('not agreeing to the guide is explained, and the report still goes in', async () => {
  wx.privacy.needed = true
  wx.reply('POST', '/cases', 201, { id: 7, number: 'ZY001', status: 'new', status_label: '待受理' })
  const comp = await open('report')
  await tap(comp, '#locate')
  await tap(popup(comp), '#privacy-disagree')
  expect(wx.calls.privacyAnswers.pop()).toEqual({ event: 'disagree' })
  expect(text(comp, '#error')).toBe(
    '您没有同意隐私保护指引，所以没有选位置。不选位置也可以直接提交；想选时再点“选择位置”并同意即可。'
  )
  expect(exists(comp, '#open-settings')).toBe(false)
  comp.instance.onDescription({ detail: { value: '楼道灯坏了' } })
  await tap(comp, '#submit')
  expect(wx.sent('POST', '/cases')[0].data.location).toBeUndefined()
  expect(text(comp, '#done-number')).toBe('ZY001')
})

test('a refused camera says where to allow it, and 去设置 opens the settings', async () => {
  wx.answers.chooseMedia = { fail: { errMsg: 'chooseMedia:fail auth deny' } }
  const comp = await open('report')
  await tap(comp, '#add-photo')
  expect(text(comp, '#error')).toBe(
    '您没有允许本小程序使用摄像头或相册。需要时点下面的“去设置”（或右上角“…→设置”）打开“摄像头”和“相册”；不拍照也可以直接提交。'
  )
  await tap(comp, '#open-settings')
  expect(wx.calls.openSetting).toHaveLength(1)
  expect(text(comp, '#error')).toBeNull()
})

test('location refused in the mini-program and in the phone are told apart', async () => {
  wx.answers.chooseLocation = { fail: { errMsg: 'chooseLocation:fail auth deny' } }
  const comp = await open('report')
  await tap(comp, '#locate')
  expect(text(comp, '#error')).toContain('点下面的“去设置”（或右上角“…→设置”）打开“位置信息”')
  expect(exists(comp, '#open-settings')).toBe(true)
  wx.answers.chooseLocation = { fail: { errMsg: 'chooseLocation:fail system permission denied' } }
  await tap(comp, '#locate')
  expect(text(comp, '#error')).toBe(
    '手机没有允许微信使用定位。请在手机的“设置”里找到微信，打开“位置信息”；不选位置也可以直接提交。'
  )
  expect(exists(comp, '#open-settings')).toBe(false)
})

test('cancelling the photo picker says nothing', async () => {
  const comp = await open('report')
  await tap(comp, '#add-photo')
  expect(text(comp, '#error')).toBeNull()
})
