const { boot, open, flush, text, tap, tick, agreePrivacy, type, rootClasses } = require('./helpers')

const DOCUMENTS = {
  terms: { kind: 'terms', title: '原点在线用户服务协议', version: 1, changes: '', url: '/m/legal/terms/' },
  privacy: { kind: 'privacy', title: '原点在线个人信息保护政策', version: 2, changes: '', url: '/m/legal/privacy/' },
}

let wx
beforeEach(() => {
  wx = boot()
  wx.storage.bind_token = 'wxb.1'
  wx.reply('GET', '/consent/documents', 200, DOCUMENTS)
  wx.reply('POST', '/consent/me', 201, { terms_version: 1, privacy_version: 2, channel: 'miniprogram' })
})

/** The bind page with 用户协议 and 隐私政策 agreed to: the phone number appears only then. */
async function openAgreed() {
  const comp = await open('bind')
  await tick(comp, '#tick', ['agree'])
  await agreePrivacy(comp, '#agree-btn')
  return comp
}

/** What was sent to the sign-in API (the documents are read before anything is typed). */
function signInRequests() {
  return wx.requests.filter(r => r.path !== '/consent/documents')
}

afterEach(() => {
  jest.useRealTimers()
})

function sendButton(comp) {
  const node = comp.querySelector('#send')
  return { text: node.dom.textContent.trim(), disabled: node.data.disabled }
}

test('refuses "1234" as a phone number and sends nothing', async () => {
  const comp = await openAgreed()
  await type(comp, '#phone', '1234')
  await tap(comp, '#send')
  expect(text(comp, '#error')).toBe('请输入正确的 11 位手机号')
  await type(comp, '#code', '123456')
  await tap(comp, '#bind')
  expect(text(comp, '#error')).toBe('请输入正确的 11 位手机号')
  expect(signInRequests()).toEqual([])
})

test('sends the code request without a token and counts down 60 seconds, disabled meanwhile', async () => {
  jest.useFakeTimers()
  wx.reply('POST', '/auth/sms-code', 200, { sent: true })
  const comp = await openAgreed()
  expect(sendButton(comp).text).toBe('获取验证码')
  await type(comp, '#phone', '13800000001')
  await tap(comp, '#send')
  const [sent] = wx.sent('POST', '/auth/sms-code')
  expect(sent.data).toEqual({ phone: '13800000001' })
  expect(sent.header.Authorization).toBeUndefined()
  expect(sendButton(comp)).toEqual({ text: '60 秒后重发', disabled: true })

  jest.advanceTimersByTime(1000)
  expect(sendButton(comp).text).toBe('59 秒后重发')
  // a tap while counting sends nothing
  await tap(comp, '#send')
  expect(wx.sent('POST', '/auth/sms-code')).toHaveLength(1)

  jest.advanceTimersByTime(59000)
  expect(sendButton(comp)).toEqual({ text: '获取验证码', disabled: false })
  jest.advanceTimersByTime(5000)
  expect(comp.data.countdown).toBe(0)
})

test('the send button is disabled while the code request is on its way', async () => {
  wx.reply('POST', '/auth/sms-code', 200, { sent: true })
  const comp = await openAgreed()
  await type(comp, '#phone', '13800000001')
  comp.instance.sendCode()
  expect(sendButton(comp).disabled).toBe(true)
  expect(sendButton(comp).text).toBe('获取验证码')
  await flush()
  expect(sendButton(comp)).toEqual({ text: '60 秒后重发', disabled: true })
})

test('in demo mode the code is filled in and shown', async () => {
  wx.reply('POST', '/auth/sms-code', 200, { sent: true, demo_code: '123456' })
  const comp = await openAgreed()
  await type(comp, '#phone', '13800000001')
  await tap(comp, '#send')
  expect(comp.querySelector('#code').data.value).toBe('123456')
  expect(text(comp, '#demo')).toBe('演示模式不发送短信，本次验证码：123456')
})

test('asked too often: shows the server’s detail and does not count down', async () => {
  wx.reply('POST', '/auth/sms-code', 429, { detail: '验证码请求过于频繁，请 60 秒后再试' })
  const comp = await openAgreed()
  await type(comp, '#phone', '13800000001')
  await tap(comp, '#send')
  expect(text(comp, '#error')).toBe('验证码请求过于频繁，请 60 秒后再试')
  expect(sendButton(comp)).toEqual({ text: '获取验证码', disabled: false })
})

test('a wrong code shows the server’s detail and stores no token', async () => {
  wx.reply('POST', '/auth/wechat/bind', 422, { detail: '验证码错误或已过期' })
  const comp = await openAgreed()
  await type(comp, '#phone', '13800000001')
  await type(comp, '#code', '000000')
  await tap(comp, '#bind')
  expect(text(comp, '#error')).toBe('验证码错误或已过期')
  expect(wx.storage.token).toBeUndefined()
  expect(wx.calls.navigateBack).toEqual([])
})

test('refuses to bind without a code', async () => {
  const comp = await openAgreed()
  await type(comp, '#phone', '13800000001')
  await tap(comp, '#bind')
  expect(text(comp, '#error')).toBe('请输入短信验证码')
  expect(signInRequests()).toEqual([])
})

test('binds with the bind token, stores the full token and goes back', async () => {
  wx.reply('POST', '/auth/wechat/bind', 200, { bound: true, token: 'full-7' })
  const comp = await openAgreed()
  await type(comp, '#phone', '13800000001')
  await type(comp, '#code', '123456')
  await tap(comp, '#bind')
  const [sent] = wx.sent('POST', '/auth/wechat/bind')
  expect(sent.data).toEqual({ phone: '13800000001', sms_code: '123456' })
  expect(sent.header.Authorization).toBe('Bearer wxb.1')
  expect(wx.storage.token).toBe('full-7')
  expect(wx.storage.bind_token).toBeUndefined()
  expect(wx.calls.navigateBack).toHaveLength(1)
  expect(wx.calls.switchTab).toEqual([])
  expect(text(comp, '#error')).toBeNull()
  // the agreement is recorded with the versions the page showed, once bound
  const [agreed] = wx.sent('POST', '/consent/me')
  expect(agreed.data).toEqual({ terms_version: 1, privacy_version: 2, occasion: 'bind' })
  expect(agreed.header.Authorization).toBe('Bearer full-7')
})

test('opened as the first page, it goes to the home tab after binding', async () => {
  wx.answers.navigateBack = { fail: { errMsg: 'navigateBack:fail cannot navigate back at first page.' } }
  wx.reply('POST', '/auth/wechat/bind', 200, { bound: true, token: 'full-7' })
  const comp = await openAgreed()
  await type(comp, '#phone', '13800000001')
  await type(comp, '#code', '123456')
  await tap(comp, '#bind')
  await flush()
  expect(wx.calls.switchTab.map(s => s.url)).toEqual(['/pages/home/home'])
})

test('a lost connection while binding says so', async () => {
  wx.reply('POST', '/auth/wechat/bind', wx.networkFailure())
  const comp = await openAgreed()
  await type(comp, '#phone', '13800000001')
  await type(comp, '#code', '123456')
  await tap(comp, '#bind')
  expect(text(comp, '#error')).toBe('网络不可用，请稍后重试')
  expect(comp.data.binding).toBe(false)
})

test('长辈版 from the remembered setting (no /me before binding)', async () => {
  wx.storage.elder_mode = true
  const comp = await open('bind')
  expect(rootClasses(comp)).toContain('elder')
  expect(signInRequests()).toEqual([])
})
