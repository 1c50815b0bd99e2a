/** 长辈版 on every page: the root node gets the class "elder" when /me says elder_mode. */
const fs = require('fs')
const path = require('path')
const { boot, open, flush, rootClasses, signedIn, ROOT } = require('./helpers')

const PAGES = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')).pages.map(p => p.split('/')[1])

let wx
beforeEach(() => {
  wx = boot()
})

function answerEverything() {
  wx.reply('GET', '/cases', 200, { count: 0, page: 1, page_size: 20, results: [] })
  wx.reply('GET', '/me/messages', 200, { count: 0, results: [] })
  // the web-view page shows its own root only until it has an address: keep it waiting
  wx.reply('POST', '/me/wechat/web-ticket', wx.networkFailure())
}

test('the elder test covers all eight pages of app.json', () => {
  expect([...PAGES].sort()).toEqual([
    'bind',
    'cases',
    'consent',
    'home',
    'legal',
    'messages',
    'report',
    'webview',
  ])
})

describe.each(PAGES)('page %s', page => {
  test('elder_mode true adds the elder class on its root', async () => {
    signedIn(wx, { elder_mode: true })
    // the bind page has no full token to ask /me with: it uses the setting remembered from /me
    if (page === 'bind') wx.storage.elder_mode = true
    answerEverything()
    const comp = await open(page, { path: '/m/' })
    expect(rootClasses(comp)).toContain('elder')
    expect(rootClasses(comp)).toContain('page')
  })

  test('elder_mode false leaves it off', async () => {
    signedIn(wx, { elder_mode: false })
    answerEverything()
    const comp = await open(page, { path: '/m/' })
    expect(rootClasses(comp)).not.toContain('elder')
  })
})

test('switching 长辈版 off elsewhere takes effect when the page shows again', async () => {
  signedIn(wx, { elder_mode: true })
  wx.reply('GET', '/cases', 200, { count: 0, page: 1, page_size: 20, results: [] })
  const comp = await open('cases')
  expect(rootClasses(comp)).toContain('elder')
  wx.reply('GET', '/me', 200, { name: '张三', elder_mode: false })
  comp.instance.onShow()
  await flush()
  expect(rootClasses(comp)).not.toContain('elder')
  expect(wx.storage.elder_mode).toBe(false)
})

test('the remembered setting applies at once, before /me answers', async () => {
  wx.storage.token = 'full-token-1'
  wx.storage.elder_mode = true
  wx.reply('GET', '/me', wx.networkFailure())
  wx.reply('GET', '/cases', 200, { count: 0, page: 1, page_size: 20, results: [] })
  const comp = await open('cases')
  expect(rootClasses(comp)).toContain('elder')
})

test('app.wxss sets the larger text and taller buttons on .elder', () => {
  const css = fs.readFileSync(path.join(ROOT, 'app.wxss'), 'utf8')
  const rules = {}
  css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/([^{}]+)\{([^}]*)\}/g, (_, selectors, body) => {
    selectors.split(',').map(s => s.trim()).forEach(s => {
      rules[s] = Object.assign(rules[s] || {}, Object.fromEntries(
        body.split(';').map(d => d.split(':').map(x => x.trim())).filter(d => d[0])
      ))
    })
    return ''
  })
  const rpx = v => Number(String(v).replace('rpx', ''))
  // 20px on a 375px-wide phone is 40rpx (750rpx wide)
  expect(rpx(rules['.elder']['font-size'])).toBeGreaterThanOrEqual(40)
  expect(rpx(rules['.elder button']['min-height'])).toBeGreaterThanOrEqual(96)
  expect(rpx(rules['.elder button']['font-size'])).toBeGreaterThanOrEqual(40)
})
