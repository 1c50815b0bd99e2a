const { boot, open, flush, text, texts, exists, hasNode, tap, signedIn, rootClasses } = require('./helpers')

let wx
beforeEach(() => {
  wx = boot()
  signedIn(wx)
})

const INBOX = {
  count: 3,
  results: [
    { id: 31, title: '您反映的问题已受理', body: '编号 ZY-9，网格员王五负责。', created_at: '2025-06-01T02:05:00Z', read: false, url: '/cases/9/' },
    { id: 30, title: '网格公告', body: '周六上午清理楼道杂物。', created_at: '2025-05-31T01:00:00Z', read: true, url: '' },
    { id: 29, title: '志愿活动', body: '本周日义诊。', created_at: '2025-05-30T01:00:00Z', read: false, url: 'https://wangge.example.gov.cn/volunteering/5/' },
  ],
}

function dots(comp) {
  return comp.querySelectorAll('.message').map(m => hasNode(m, 'dot'))
}

test('lists title, body and time, with a dot on the unread ones', async () => {
  wx.reply('GET', '/me/messages', 200, INBOX)
  const comp = await open('messages')
  expect(wx.sent('GET', '/me/messages')[0].query).toEqual({ page: '1' })
  expect(texts(comp, '.message-title')).toEqual(['您反映的问题已受理', '网格公告', '志愿活动'])
  expect(texts(comp, '.message-body')[0]).toBe('编号 ZY-9，网格员王五负责。')
  expect(texts(comp, '.message-time')[0]).toBe('2025-06-01 10:05')
  expect(dots(comp)).toEqual([true, false, true])
})

test('tapping an unread message marks it read and opens its link in the web-view', async () => {
  wx.reply('GET', '/me/messages', 200, INBOX)
  wx.reply('POST', '/me/messages/31/read', 200, { read: true })
  const comp = await open('messages')
  await tap(comp, '#message-31')
  expect(wx.sent('POST', '/me/messages/31/read')).toHaveLength(1)
  expect(dots(comp)).toEqual([false, false, true])
  expect(wx.calls.navigateTo.map(n => n.url)).toEqual([
    `/pages/webview/webview?path=${encodeURIComponent('/cases/9/')}&title=${encodeURIComponent('您反映的问题已受理')}`,
  ])
})

test('a link with the platform’s own address opens as a site path', async () => {
  wx.reply('GET', '/me/messages', 200, INBOX)
  wx.reply('POST', '/me/messages/29/read', 200, { read: true })
  const comp = await open('messages')
  await tap(comp, '#message-29')
  expect(wx.calls.navigateTo[0].url).toContain(`path=${encodeURIComponent('/volunteering/5/')}`)
})

test('a read message without a link: nothing is sent and nothing opens', async () => {
  wx.reply('GET', '/me/messages', 200, INBOX)
  const comp = await open('messages')
  const before = wx.requests.length
  await tap(comp, '#message-30')
  expect(wx.requests.slice(before)).toEqual([])
  expect(wx.calls.navigateTo).toEqual([])
})

test('when marking read fails the dot comes back', async () => {
  wx.reply('GET', '/me/messages', 200, INBOX)
  wx.reply('POST', '/me/messages/31/read', wx.networkFailure())
  const comp = await open('messages')
  await tap(comp, '#message-31')
  expect(dots(comp)).toEqual([true, false, true])
})

test('shows the empty state', async () => {
  wx.reply('GET', '/me/messages', 200, { count: 0, results: [] })
  const comp = await open('messages')
  expect(text(comp, '#empty')).toBe('还没有消息')
})

test('shows the error state and 重试 loads again', async () => {
  wx.replyOnce('GET', '/me/messages', 500, { detail: '服务器开小差了' })
  wx.reply('GET', '/me/messages', 200, INBOX)
  const comp = await open('messages')
  expect(text(comp, '#error')).toBe('服务器开小差了')
  await tap(comp, '#retry')
  expect(comp.querySelectorAll('.message')).toHaveLength(3)
})

test('pages on 加载更多', async () => {
  const first = Array.from({ length: 20 }, (_, i) => ({ id: 100 - i, title: `消息 ${i}`, body: '', created_at: '2025-06-01T00:00:00Z', read: true, url: '' }))
  wx.replyOnce('GET', '/me/messages', 200, { count: 21, results: first })
  wx.replyOnce('GET', '/me/messages', 200, { count: 21, results: [{ id: 1, title: '最早的消息', body: '', created_at: '2025-01-01T00:00:00Z', read: true, url: '' }] })
  const comp = await open('messages')
  await tap(comp, '#more')
  expect(wx.sent('GET', '/me/messages').map(r => r.query.page)).toEqual(['1', '2'])
  expect(comp.querySelectorAll('.message')).toHaveLength(21)
  expect(exists(comp, '#more')).toBe(false)
})

test('pull-down refresh stops the spinner', async () => {
  wx.reply('GET', '/me/messages', 200, INBOX)
  const comp = await open('messages')
  await comp.instance.onPullDownRefresh()
  await flush()
  expect(wx.calls.stopPullDownRefresh).toHaveLength(1)
})

test('长辈版 adds the elder class', async () => {
  signedIn(wx, { elder_mode: true })
  wx.reply('GET', '/me/messages', 200, INBOX)
  const comp = await open('messages')
  expect(rootClasses(comp)).toContain('elder')
})
