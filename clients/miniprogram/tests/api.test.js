const path = require('path')
const { boot, flush, ROOT } = require('./helpers')

let wx
let api

beforeEach(() => {
  wx = boot()
  api = require(path.join(ROOT, 'utils/api'))
})

test('sends to the configured API base with the bearer token and a 15 s timeout', async () => {
  wx.storage.token = 'full-1'
  wx.reply('GET', '/me', 200, { name: '张三' })
  await expect(api.request({ path: '/me' })).resolves.toEqual({ name: '张三' })
  const [sent] = wx.sent('GET', '/me')
  expect(sent.url).toBe('https://wangge.example.gov.cn/api/v1/me')
  expect(sent.header.Authorization).toBe('Bearer full-1')
  expect(sent.timeout).toBe(15000)
})

test('the API base comes from app.js globalData (config.js)', () => {
  expect(getApp().globalData.apiBase).toBe(require(path.join(ROOT, 'config')).apiBase)
  getApp().globalData.apiBase = 'https://other.example.cn/'
  expect(api.apiUrl('/me')).toBe('https://other.example.cn/api/v1/me')
})

test('an error answer rejects with the server’s Chinese detail', async () => {
  wx.storage.token = 'full-1'
  wx.reply('POST', '/cases', 422, { detail: '诉求内容不能为空' })
  const err = await api.request({ method: 'POST', path: '/cases', data: {} }).catch(e => e)
  expect(err).toBeInstanceOf(Error)
  expect(err.message).toBe('诉求内容不能为空')
  expect(err.status).toBe(422)
  expect(err.network).toBe(false)
})

test('an error answer without detail still gives a Chinese message', async () => {
  wx.storage.token = 'full-1'
  wx.reply('GET', '/me', 502, '<html>Bad Gateway</html>')
  const err = await api.request({ path: '/me' }).catch(e => e)
  expect(err.message).toBe('服务暂时不可用，请稍后重试')
})

test('a network failure or timeout rejects as a network error', async () => {
  wx.storage.token = 'full-1'
  wx.reply('GET', '/me', wx.networkFailure('request:fail timeout'))
  const err = await api.request({ path: '/me' }).catch(e => e)
  expect(err.network).toBe(true)
  expect(err.message).toBe('网络不可用，请稍后重试')
})

test('a 401 clears the token, signs in again once and retries with the new token', async () => {
  wx.storage.token = 'old'
  wx.replyOnce('GET', '/me', 401, { detail: '令牌无效' })
  wx.replyOnce('GET', '/me', 200, { name: '张三' })
  wx.reply('POST', '/auth/wechat/mini-login', 200, { token: 'new', bound: true })
  await expect(api.request({ path: '/me' })).resolves.toEqual({ name: '张三' })
  expect(wx.calls.login).toHaveLength(1)
  expect(wx.sent('POST', '/auth/wechat/mini-login')[0].data).toEqual({ code: 'wx-code-1' })
  expect(wx.sent('GET', '/me').map(r => r.header.Authorization)).toEqual(['Bearer old', 'Bearer new'])
  expect(wx.storage.token).toBe('new')
})

test('a second 401 after signing in again gives up', async () => {
  wx.storage.token = 'old'
  wx.reply('GET', '/me', 401, { detail: '令牌无效' })
  wx.reply('POST', '/auth/wechat/mini-login', 200, { token: 'new', bound: true })
  const err = await api.request({ path: '/me' }).catch(e => e)
  expect(err.message).toBe('令牌无效')
  expect(err.status).toBe(401)
  expect(wx.calls.login).toHaveLength(1)
  expect(wx.sent('GET', '/me')).toHaveLength(2)
  expect(wx.storage.token).toBeUndefined()
})

test('without a token it signs in first; requests at the same time share one sign-in', async () => {
  wx.reply('POST', '/auth/wechat/mini-login', 200, { token: 'full-2', bound: true })
  wx.reply('GET', '/me', 200, { name: '张三' })
  wx.reply('GET', '/me/wechat/templates', 200, {})
  await Promise.all([api.request({ path: '/me' }), api.request({ path: '/me/wechat/templates' })])
  expect(wx.calls.login).toHaveLength(1)
  expect(wx.sent('POST', '/auth/wechat/mini-login')).toHaveLength(1)
  expect(wx.sent('GET', '/me')[0].header.Authorization).toBe('Bearer full-2')
})

test('mini-login with bound=false keeps the bind token apart and opens the bind page once', async () => {
  wx.reply('POST', '/auth/wechat/mini-login', 200, { token: 'wxb.bind', bound: false })
  const errors = await Promise.all([
    api.request({ path: '/me' }).catch(e => e),
    api.request({ path: '/cases?page=1' }).catch(e => e),
  ])
  errors.forEach(err => {
    expect(err.unbound).toBe(true)
    expect(err.message).toBe('请先绑定手机号')
  })
  expect(wx.calls.navigateTo.map(n => n.url)).toEqual(['/pages/bind/bind'])
  expect(wx.storage.bind_token).toBe('wxb.bind')
  expect(wx.storage.token).toBeUndefined()
  // nothing was sent with the bind-only token
  expect(wx.requests.filter(r => r.path !== '/auth/wechat/mini-login')).toEqual([])
})

test('a failed wx.login rejects with a Chinese message', async () => {
  wx.answers.login = { fail: { errMsg: 'login:fail' } }
  const err = await api.request({ path: '/me' }).catch(e => e)
  expect(err.message).toBe('微信登录失败，请稍后重试')
  expect(wx.requests).toEqual([])
})

test('auth:false sends no Authorization header', async () => {
  wx.storage.token = 'full-1'
  wx.reply('POST', '/auth/sms-code', 200, { sent: true })
  await api.request({ method: 'POST', path: '/auth/sms-code', data: { phone: '13800000001' }, auth: false })
  expect(wx.sent('POST', '/auth/sms-code')[0].header.Authorization).toBeUndefined()
})

test('upload sends one file with the token and parses the string answer', async () => {
  wx.storage.token = 'full-1'
  wx.reply('UPLOAD', '/cases/7/attachments', 201, { id: 3 })
  await expect(api.upload({ path: '/cases/7/attachments', filePath: 'wxfile://a.jpg', name: 'photo' }))
    .resolves.toEqual({ id: 3 })
  const [sent] = wx.sent('UPLOAD', '/cases/7/attachments')
  expect(sent).toMatchObject({ filePath: 'wxfile://a.jpg', name: 'photo' })
  expect(sent.header.Authorization).toBe('Bearer full-1')
})

test('upload errors carry the detail; a 401 signs in again like a request', async () => {
  wx.storage.token = 'old'
  wx.replyOnce('UPLOAD', '/cases/7/attachments', 401, { detail: '令牌无效' })
  wx.replyOnce('UPLOAD', '/cases/7/attachments', 413, { detail: '照片太大' })
  wx.reply('POST', '/auth/wechat/mini-login', 200, { token: 'new', bound: true })
  const err = await api.upload({ path: '/cases/7/attachments', filePath: 'a.jpg', name: 'photo' }).catch(e => e)
  expect(err.message).toBe('照片太大')
  expect(wx.sent('UPLOAD').map(r => r.header.Authorization)).toEqual(['Bearer old', 'Bearer new'])
})

test('bindPhone with an expired bind token signs in again and binds with the new one', async () => {
  wx.storage.bind_token = 'wxb.old'
  wx.replyOnce('POST', '/auth/wechat/bind', 401, { detail: '绑定令牌已过期' })
  wx.replyOnce('POST', '/auth/wechat/bind', 200, { bound: true, token: 'full-9' })
  wx.reply('POST', '/auth/wechat/mini-login', 200, { token: 'wxb.new', bound: false })
  await expect(api.bindPhone('13800000001', '123456')).resolves.toEqual({ bound: true, token: 'full-9' })
  expect(wx.sent('POST', '/auth/wechat/bind').map(r => r.header.Authorization))
    .toEqual(['Bearer wxb.old', 'Bearer wxb.new'])
  expect(wx.storage.token).toBe('full-9')
  expect(wx.storage.bind_token).toBeUndefined()
  // already on the bind page: signing in again must not open another one
  expect(wx.calls.navigateTo).toEqual([])
})

test('flush settles stub callbacks', async () => {
  let done = false
  wx.login({ success: () => { done = true } })
  await flush()
  expect(done).toBe(true)
})
