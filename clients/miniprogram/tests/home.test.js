const path = require('path')
const { boot, open, render, flush, text, texts, tap, signedIn, rootClasses, ROOT } = require('./helpers')

let wx
beforeEach(() => {
  wx = boot()
})

test('renders the eight module tiles with their names', async () => {
  signedIn(wx)
  const comp = await open('home')
  expect(comp.querySelectorAll('.tile')).toHaveLength(8)
  expect(texts(comp, '.tile-name')).toEqual([
    '有事找支部', '志愿服务', '积分兑换', '乐享闲置', '圈子', '小原帮办', '荣誉榜单', '附近',
  ])
  expect(texts(comp, '.link')).toEqual(['我的诉求', '消息', '我的'])
  expect(text(comp, '#hello')).toBe('张三，您好')
})

test('the tiles are rendered from utils/modules.js', async () => {
  signedIn(wx)
  const comp = await open('home')
  const modules = require(path.join(ROOT, 'utils/modules'))
  expect(comp.data.tiles.map(t => t.key)).toEqual(modules.TILES.map(t => t.key))
})

test('有事找支部 opens the native report page', async () => {
  signedIn(wx)
  const comp = await open('home')
  await tap(comp, '#tile-report')
  expect(wx.calls.navigateTo.map(n => n.url)).toEqual(['/pages/report/report'])
})

test.each([
  ['volunteer', '/volunteering/', '志愿服务'],
  ['points', '/points/', '积分兑换'],
  ['market', '/market/', '乐享闲置'],
  ['circles', '/circles/', '圈子'],
  ['assistant', '/assistant/', '小原帮办'],
  ['honours', '/rankings/', '荣誉榜单'],
  ['nearby', '/m/nearby/', '附近'],
])('tile %s opens %s in the web-view page', async (key, sitePath, title) => {
  signedIn(wx)
  const comp = await open('home')
  await tap(comp, `#tile-${key}`)
  expect(wx.calls.navigateTo.map(n => n.url)).toEqual([
    `/pages/webview/webview?path=${encodeURIComponent(sitePath)}&title=${encodeURIComponent(title)}`,
  ])
})

test('我的诉求 and 消息 switch to their tabs; 我的 opens /m/me/ in the web-view', async () => {
  signedIn(wx)
  const comp = await open('home')
  await tap(comp, '#link-cases')
  await tap(comp, '#link-messages')
  await tap(comp, '#link-me')
  expect(wx.calls.switchTab.map(n => n.url)).toEqual(['/pages/cases/cases', '/pages/messages/messages'])
  expect(wx.calls.navigateTo.map(n => n.url)).toEqual([
    `/pages/webview/webview?path=${encodeURIComponent('/m/me/')}&title=${encodeURIComponent('我的')}`,
  ])
})

test('without a token it signs in on load and greets the resident', async () => {
  wx.reply('POST', '/auth/wechat/mini-login', 200, { token: 'full-3', bound: true })
  wx.reply('GET', '/me', 200, { name: '李四', phone_masked: '139****0002', elder_mode: false })
  const comp = await open('home')
  expect(wx.calls.login).toHaveLength(1)
  expect(wx.sent('POST', '/auth/wechat/mini-login')[0].data).toEqual({ code: 'wx-code-1' })
  expect(wx.storage.token).toBe('full-3')
  expect(wx.sent('GET', '/me')[0].header.Authorization).toBe('Bearer full-3')
  expect(text(comp, '#hello')).toBe('李四，您好')
})

test('onLoad itself signs in when there is no token', async () => {
  wx.reply('POST', '/auth/wechat/mini-login', 200, { token: 'full-3', bound: true })
  const comp = render('home')
  comp.instance.onLoad({})
  await flush()
  expect(wx.calls.login).toHaveLength(1)
  expect(wx.storage.token).toBe('full-3')
})

test('with a token it does not sign in again', async () => {
  signedIn(wx)
  await open('home')
  expect(wx.calls.login).toHaveLength(0)
})

test('mini-login with bound=false leads to the bind page', async () => {
  wx.reply('POST', '/auth/wechat/mini-login', 200, { token: 'wxb.1', bound: false })
  const comp = await open('home')
  expect(wx.calls.navigateTo.map(n => n.url)).toEqual(['/pages/bind/bind'])
  expect(wx.storage.bind_token).toBe('wxb.1')
  expect(wx.storage.token).toBeUndefined()
  expect(wx.sent('GET', '/me')).toEqual([])
  // the tiles are still there to look at
  expect(comp.querySelectorAll('.tile')).toHaveLength(8)
})

test('a failed sign-in shows why', async () => {
  wx.reply('POST', '/auth/wechat/mini-login', 503, { detail: '本平台尚未开通微信小程序登录' })
  const comp = await open('home')
  expect(text(comp, '#error')).toBe('本平台尚未开通微信小程序登录')
})

test('长辈版: the root gets the elder class and the tiles their plain names', async () => {
  signedIn(wx, { elder_mode: true })
  const comp = await open('home')
  expect(rootClasses(comp)).toContain('elder')
  expect(texts(comp, '.tile-name')).toEqual([
    '反映问题', '做志愿者', '积分换物', '旧物送人', '邻里圈子', '问小原', '光荣榜', '附近服务点',
  ])
})
