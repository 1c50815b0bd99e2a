/** The files WeChat DevTools opens: app.json's pages exist, the tab bar, the placeholders. */
const fs = require('fs')
const path = require('path')
const { ROOT, boot } = require('./helpers')

const read = file => fs.readFileSync(path.join(ROOT, file), 'utf8')
const json = file => JSON.parse(read(file))

test('every page in app.json has its .js, .json, .wxml and .wxss', () => {
  const { pages } = json('app.json')
  expect(pages[0]).toBe('pages/home/home')
  pages.forEach(page => {
    ;['js', 'json', 'wxml', 'wxss'].forEach(ext => {
      expect(fs.existsSync(path.join(ROOT, `${page}.${ext}`))).toBe(true)
    })
    // built with Component() so miniprogram-simulate can load it
    expect(read(`${page}.js`)).toMatch(/^Component\(\{/m)
    // the root node carries the elder class
    expect(read(`${page}.wxml`)).toContain("{{elder ? 'elder' : ''}}")
  })
})

test('window title 原点在线 and a tab bar 首页 / 我的诉求 / 消息', () => {
  const app = json('app.json')
  expect(app.window.navigationBarTitleText).toBe('原点在线')
  expect(app.tabBar.list.map(t => [t.pagePath, t.text])).toEqual([
    ['pages/home/home', '首页'],
    ['pages/cases/cases', '我的诉求'],
    ['pages/messages/messages', '消息'],
  ])
  expect(json('sitemap.json').rules).toBeDefined()
})

test('placeholders a district replaces: appid and the API base', () => {
  expect(json('project.config.json').appid).toBe('touristappid')
  expect(require(path.join(ROOT, 'config')).apiBase).toBe('https://wangge.example.gov.cn')
  boot()
  expect(getApp().globalData.apiBase).toBe('https://wangge.example.gov.cn')
})

test('the list and cases pages have pull-down refresh on', () => {
  expect(json('pages/cases/cases.json').enablePullDownRefresh).toBe(true)
  expect(json('pages/messages/messages.json').enablePullDownRefresh).toBe(true)
})
