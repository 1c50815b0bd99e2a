/** 打开平台网页（web-view 页）与站内链接的换算。 */
const api = require('./api')

const WEBVIEW_PAGE = '/pages/webview/webview'

/** 只接受本站的路径：以一个 / 开头（不是 //），不含反斜杠和空白。 */
function isSitePath(path) {
  return typeof path === 'string' && /^\/(?![\/\\])[^\s\\]*$/.test(path)
}

/**
 * 消息里的链接换成站内路径："/cases/7/" 原样；平台地址开头的绝对地址去掉前缀；
 * 其他网站的地址返回 ''（web-view 只能打开登记过的业务域名）。
 */
function toSitePath(url) {
  if (!url || typeof url !== 'string') return ''
  if (isSitePath(url)) return url
  const base = api.apiBase()
  if (url.indexOf(`${base}/`) === 0) {
    const path = url.slice(base.length)
    return isSitePath(path) ? path : ''
  }
  return ''
}

/** web-view 页的地址，path 是站内路径，title 是导航栏标题。 */
function webviewUrl(path, title) {
  let url = `${WEBVIEW_PAGE}?path=${encodeURIComponent(path)}`
  if (title) url += `&title=${encodeURIComponent(title)}`
  return url
}

/** 打开一个模块（utils/modules.js 里的一项）。 */
function openModule(module) {
  if (module.tab) wx.switchTab({ url: module.tab })
  else if (module.page) wx.navigateTo({ url: module.page })
  else wx.navigateTo({ url: webviewUrl(module.path, module.name) })
}

module.exports = { WEBVIEW_PAGE, isSitePath, toSitePath, webviewUrl, openModule }
