/** The grid notices' subscription message is asked for on the messages page, from a tap. */
const { boot, open, flush, text, exists, tap, signedIn } = require('./helpers')

let wx
beforeEach(() => {
  wx = boot()
  signedIn(wx)
  wx.reply('GET', '/me/messages', 200, { count: 0, results: [] })
})

test('no notice template configured: nothing is offered', async () => {
  wx.reply('GET', '/me/wechat/templates', 200, { accepted: 'tpl-acc' })
  const comp = await open('messages')
  expect(exists(comp, '#notice-subscribe')).toBe(false)
})

test('the resident taps, WeChat asks, and the answer goes to the platform', async () => {
  wx.reply('GET', '/me/wechat/templates', 200, { accepted: 'tpl-acc', notice: 'tpl-notice' })
  wx.reply('POST', '/me/wechat/subscriptions', 200, { recorded: 1 })
  wx.answers.requestSubscribeMessage = { 'tpl-notice': 'accept', errMsg: 'requestSubscribeMessage:ok' }
  const comp = await open('messages')
  expect(text(comp, '#notice-subscribe')).toContain('网格发布停水、停电等公告时，通过微信提醒您。')
  await tap(comp, '#subscribe-notice')
  await flush()
  expect(wx.calls.requestSubscribeMessage.map(c => c.tmplIds)).toEqual([['tpl-notice']])
  expect(wx.sent('POST', '/me/wechat/subscriptions').map(r => r.data)).toEqual([
    { 'tpl-notice': 'accept' },
  ])
  expect(wx.calls.showToast.map(t => t.title)).toEqual(['已开启公告提醒'])
})

test('a refusal is said kindly and nothing is recorded as accepted', async () => {
  wx.reply('GET', '/me/wechat/templates', 200, { notice: 'tpl-notice' })
  wx.reply('POST', '/me/wechat/subscriptions', 200, { recorded: 1 })
  wx.answers.requestSubscribeMessage = { 'tpl-notice': 'reject', errMsg: 'requestSubscribeMessage:ok' }
  const comp = await open('messages')
  await tap(comp, '#subscribe-notice')
  await flush()
  expect(wx.sent('POST', '/me/wechat/subscriptions').map(r => r.data)).toEqual([
    { 'tpl-notice': 'reject' },
  ])
  expect(wx.calls.showToast.map(t => t.title)).toEqual(['没有开启，可以随时再点'])
})
