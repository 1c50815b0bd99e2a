/**
 * 用户协议 and 隐私政策 in the mini-program: agreed before the phone number is asked for,
 * recorded with the versions shown once bound (kept and sent later when the network is away),
 * asked again when a new version is in force, and readable without signing in.
 */
const { boot, open, flush, text, texts, exists, tap, tick, agreePrivacy, signedIn } = require('./helpers')

const DOCUMENTS = {
  terms: { kind: 'terms', title: '原点在线用户服务协议', version: 1, changes: '', url: '/m/legal/terms/' },
  privacy: {
    kind: 'privacy',
    title: '原点在线个人信息保护政策',
    version: 2,
    changes: '新增微信订阅消息的说明',
    url: '/m/legal/privacy/',
  },
}

let wx
beforeEach(() => {
  wx = boot()
  wx.reply('GET', '/consent/documents', 200, DOCUMENTS)
})

describe('the bind page', () => {
  beforeEach(() => {
    wx.storage.bind_token = 'wxb.1'
  })

  test('shows the documents and no phone field until the resident agrees', async () => {
    const comp = await open('bind')
    expect(text(comp, '#read-terms')).toBe('《原点在线用户服务协议》（第 1 版）')
    expect(text(comp, '#read-privacy')).toBe('《原点在线个人信息保护政策》（第 2 版）')
    expect(exists(comp, '#phone')).toBe(false)
    expect(comp.querySelector('#agree').data.checked).toBe(false)
    // “同意并继续” without the box ticked: refused in Chinese, still no phone field
    await agreePrivacy(comp, '#agree-btn')
    expect(text(comp, '#error')).toBe('请先阅读并勾选同意《用户协议》和《隐私政策》')
    expect(exists(comp, '#phone')).toBe(false)
    await tick(comp, '#tick', ['agree'])
    await agreePrivacy(comp, '#agree-btn')
    expect(exists(comp, '#phone')).toBe(true)
    expect(text(comp, '#agreed')).toBe('已同意《用户协议》和《隐私政策》')
    expect(wx.sent('POST', '/auth/sms-code')).toEqual([])
  })

  test('the documents open in the reader', async () => {
    const comp = await open('bind')
    await tap(comp, '#read-privacy')
    expect(wx.calls.navigateTo.map(c => c.url)).toEqual(['/pages/legal/legal?kind=privacy'])
  })

  test('documents that do not load can be loaded again, and nothing is agreed meanwhile', async () => {
    wx.reply('GET', '/consent/documents', wx.networkFailure())
    const comp = await open('bind')
    expect(text(comp, '#docs-error')).toBe('网络不可用，请稍后重试')
    await tick(comp, '#tick', ['agree'])
    await agreePrivacy(comp, '#agree-btn')
    expect(exists(comp, '#phone')).toBe(false)
    wx.reply('GET', '/consent/documents', 200, DOCUMENTS)
    await tap(comp, '#docs-retry')
    expect(text(comp, '#read-terms')).toBe('《原点在线用户服务协议》（第 1 版）')
  })

  test('an agreement the network lost is kept and recorded at the next start', async () => {
    wx.reply('POST', '/auth/wechat/bind', 200, { bound: true, token: 'full-7' })
    wx.reply('POST', '/consent/me', wx.networkFailure())
    const comp = await open('bind')
    await tick(comp, '#tick', ['agree'])
    await agreePrivacy(comp, '#agree-btn')
    comp.instance.setData({ phone: '13800000001', code: '123456' })
    await tap(comp, '#bind')
    expect(wx.storage.token).toBe('full-7')
    expect(wx.storage.consent_pending).toEqual({ terms_version: 1, privacy_version: 2, occasion: 'bind' })

    // the next start: the home page records it, then finds the consent current
    const again = boot()
    again.storage.token = 'full-7'
    again.storage.consent_pending = { terms_version: 1, privacy_version: 2, occasion: 'bind' }
    again.reply('GET', '/me', 200, { name: '张三', elder_mode: false })
    again.reply('POST', '/consent/me', 201, { terms_version: 1, privacy_version: 2 })
    again.reply('GET', '/consent/me', 200, { agreed: true, needs_renewal: false })
    await open('home')
    await flush()
    expect(again.sent('POST', '/consent/me').map(r => r.data)).toEqual([
      { terms_version: 1, privacy_version: 2, occasion: 'bind' },
    ])
    expect(again.storage.consent_pending).toBeUndefined()
    expect(again.calls.navigateTo).toEqual([])
  })
})

describe('a new version', () => {
  test('opens the update page from the home page', async () => {
    signedIn(wx)
    wx.reply('GET', '/consent/me', 200, { agreed: false, needs_renewal: true })
    await open('home')
    await flush()
    expect(wx.calls.navigateTo.map(c => c.url)).toEqual(['/pages/consent/consent'])
  })

  test('is not asked before binding (nothing to record it against)', async () => {
    wx.reply('POST', '/auth/wechat/mini-login', 200, { bound: false, token: 'wxb.9' })
    await open('home')
    await flush()
    expect(wx.sent('GET', '/consent/me')).toEqual([])
  })

  test('is asked once per start', async () => {
    wx.reply('GET', '/consent/me', 200, { agreed: true, needs_renewal: false })
    signedIn(wx)
    const comp = await open('home')
    comp.instance.onShow()
    await flush()
    expect(wx.sent('GET', '/consent/me')).toHaveLength(1)
  })

  test('the update page shows what changed and records the agreement', async () => {
    signedIn(wx)
    wx.reply('POST', '/consent/me', 201, { terms_version: 1, privacy_version: 2 })
    const comp = await open('consent')
    expect(text(comp, '#privacy-changes')).toBe('修改：新增微信订阅消息的说明')
    await tap(comp, '#agree-btn')
    expect(text(comp, '#error')).toBe('请先阅读并勾选同意《用户协议》和《隐私政策》')
    expect(wx.sent('POST', '/consent/me')).toEqual([])
    await tick(comp, '#tick', ['agree'])
    await tap(comp, '#agree-btn')
    expect(wx.sent('POST', '/consent/me').map(r => r.data)).toEqual([
      { terms_version: 1, privacy_version: 2, occasion: 'renewal' },
    ])
    expect(wx.calls.navigateBack).toHaveLength(1)
  })

  test('published meanwhile: the platform refuses, the page reloads and asks again', async () => {
    signedIn(wx)
    wx.reply('POST', '/consent/me', 409, { detail: '用户协议或隐私政策刚刚更新，请阅读新版本后再同意' })
    const comp = await open('consent')
    await tick(comp, '#tick', ['agree'])
    wx.reply('GET', '/consent/documents', 200, Object.assign({}, DOCUMENTS, {
      terms: Object.assign({}, DOCUMENTS.terms, { version: 2 }),
    }))
    await tap(comp, '#agree-btn')
    await flush()
    expect(text(comp, '#error')).toBe('用户协议或隐私政策刚刚更新，请阅读新版本后再同意')
    expect(text(comp, '#read-terms')).toBe('《原点在线用户服务协议》（第 2 版）')
    expect(comp.querySelector('#agree').data.checked).toBe(false)
    expect(wx.calls.navigateBack).toEqual([])
  })

  test('协议与授权 opens the site page where consent can be withdrawn', async () => {
    signedIn(wx)
    const comp = await open('consent')
    await tap(comp, '#manage')
    expect(wx.calls.navigateTo[0].url).toBe(
      '/pages/webview/webview?path=%2Fm%2Flegal%2Fmine%2F&title=%E5%8D%8F%E8%AE%AE%E4%B8%8E%E6%8E%88%E6%9D%83'
    )
  })
})

test('the reader shows the text in force without signing in', async () => {
  wx.reply('GET', '/consent/documents/terms', 200, Object.assign({}, DOCUMENTS.terms, {
    published_at: '2025-03-01T08:00:00Z',
    paragraphs: [
      [false, '欢迎使用原点在线。'],
      [true, '一、账号'],
      [false, '一个手机号只能注册一个账号。'],
    ],
  }))
  const comp = await open('legal', { kind: 'terms' })
  expect(text(comp, '#doc-title')).toBe('原点在线用户服务协议')
  expect(text(comp, '#doc-version')).toBe('第 1 版 · 2025-03-01 发布')
  expect(texts(comp, '.heading')).toEqual(['一、账号'])
  expect(texts(comp, '.paragraph')).toEqual(['欢迎使用原点在线。', '一个手机号只能注册一个账号。'])
  expect(wx.calls.setNavigationBarTitle.map(c => c.title)).toEqual(['用户协议'])
  expect(wx.sent('GET', '/consent/documents/terms')[0].header.Authorization).toBeUndefined()
  expect(wx.calls.login).toEqual([])
})
