const { boot, open, text, exists, tap, signedIn } = require('./helpers')

let wx
beforeEach(() => {
  wx = boot()
  signedIn(wx)
})

const TICKET_URL = 'https://wangge.example.gov.cn/m/wx/enter/?ticket=t1&next=%2Fvolunteering%2F'

test('opens the signed-in address the API answers for the module’s path', async () => {
  wx.reply('POST', '/me/wechat/web-ticket', 200, { url: TICKET_URL })
  const comp = await open('webview', { path: encodeURIComponent('/volunteering/'), title: encodeURIComponent('志愿服务') })
  expect(wx.sent('POST', '/me/wechat/web-ticket')[0].data).toEqual({ next: '/volunteering/' })
  expect(comp.querySelector('#web').data.src).toBe(TICKET_URL)
  expect(wx.calls.setNavigationBarTitle.map(c => c.title)).toEqual(['志愿服务'])
})

test('asks for a new ticket every time it opens', async () => {
  wx.reply('POST', '/me/wechat/web-ticket', 200, { url: TICKET_URL })
  await open('webview', { path: '/points/' })
  await open('webview', { path: '/points/' })
  expect(wx.sent('POST', '/me/wechat/web-ticket').map(r => r.data.next)).toEqual(['/points/', '/points/'])
})

test('an error shows the detail and 重试 asks again', async () => {
  wx.replyOnce('POST', '/me/wechat/web-ticket', 503, { detail: '暂时无法打开，请稍后重试' })
  wx.reply('POST', '/me/wechat/web-ticket', 200, { url: TICKET_URL })
  const comp = await open('webview', { path: '/market/' })
  expect(text(comp, '#error')).toBe('暂时无法打开，请稍后重试')
  expect(exists(comp, '#web')).toBe(false)
  await tap(comp, '#retry')
  expect(comp.querySelector('#web').data.src).toBe(TICKET_URL)
})

test('a path that is not on the site is refused without asking', async () => {
  const comp = await open('webview', { path: encodeURIComponent('//evil.example.com/') })
  expect(text(comp, '#error')).toBe('链接无效，无法打开')
  expect(wx.sent('POST', '/me/wechat/web-ticket')).toEqual([])
})
