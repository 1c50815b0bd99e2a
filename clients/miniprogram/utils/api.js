/**
 * 与平台接口（/api/v1）打交道的唯一入口。
 *
 * - 每个请求带 `Authorization: Bearer <令牌>`；
 * - 出错时平台总是回答 {"detail": "中文说明"}，这里把它变成 Error(说明) 抛出；
 * - 401（令牌过期）时清掉令牌、用 wx.login 重新登录一次再重发一次，仍然 401 就放弃；
 * - 没有令牌时先登录；微信号还没绑定手机号（bound=false）时转到绑定页；
 * - 请求 15 秒超时，网络不通或超时抛出的错误带 network=true，页面据此保留已填写的内容。
 */
const config = require('../config')

const TOKEN_KEY = 'token'
const BIND_TOKEN_KEY = 'bind_token'
const TIMEOUT = 15000
// 一张照片在弱信号下 15 秒常常传不完，上传单独放宽。
const UPLOAD_TIMEOUT = 60000
const BIND_PAGE = '/pages/bind/bind'

const TEXT = {
  network: '网络不可用，请稍后重试',
  login: '微信登录失败，请稍后重试',
  unbound: '请先绑定手机号',
  expired: '登录已失效，请稍后重试',
  server: '服务暂时不可用，请稍后重试',
  failed: '请求失败，请稍后重试',
}

class ApiError extends Error {
  constructor(message, extra) {
    super(message)
    this.name = 'ApiError'
    Object.assign(this, { status: 0, network: false, unbound: false }, extra || {})
  }
}

function apiBase() {
  let base = config.apiBase
  try {
    const app = typeof getApp === 'function' ? getApp() : null
    if (app && app.globalData && app.globalData.apiBase) base = app.globalData.apiBase
  } catch (e) {
    // getApp 在 App() 之前不可用：用 config.js 的地址
  }
  return String(base).replace(/\/+$/, '')
}

function apiUrl(path) {
  return `${apiBase()}/api/v1${path}`
}

// ---- 令牌 ----

function read(key) {
  try {
    return wx.getStorageSync(key) || ''
  } catch (e) {
    return ''
  }
}

function getToken() {
  return read(TOKEN_KEY)
}

function setToken(token) {
  wx.setStorageSync(TOKEN_KEY, token)
}

function clearToken() {
  wx.removeStorageSync(TOKEN_KEY)
}

function getBindToken() {
  return read(BIND_TOKEN_KEY)
}

// ---- 发送 ----

function networkError(err) {
  return new ApiError(TEXT.network, { network: true, errMsg: (err && err.errMsg) || '' })
}

/** wx.request 的 Promise 形式；只在网络层失败（fail：断网、超时）时 reject。 */
function send(method, path, data, token) {
  return new Promise((resolve, reject) => {
    const header = { 'Content-Type': 'application/json' }
    if (token) header.Authorization = `Bearer ${token}`
    const options = {
      url: apiUrl(path),
      method,
      header,
      timeout: TIMEOUT,
      dataType: 'json',
      success: res => resolve({ statusCode: res.statusCode, data: res.data }),
      fail: err => reject(networkError(err)),
    }
    if (data !== undefined) options.data = data
    wx.request(options)
  })
}

/** wx.uploadFile 的 Promise 形式；平台的回答是字符串，这里解析成对象。 */
function sendFile(path, filePath, name, formData, token) {
  return new Promise((resolve, reject) => {
    const header = {}
    if (token) header.Authorization = `Bearer ${token}`
    wx.uploadFile({
      url: apiUrl(path),
      filePath,
      name,
      formData: formData || {},
      header,
      timeout: UPLOAD_TIMEOUT,
      success: res => {
        let body = res.data
        if (typeof body === 'string') {
          try {
            body = body ? JSON.parse(body) : {}
          } catch (e) {
            // 不是 JSON（比如网关的错误页）：按没有说明处理
          }
        }
        resolve({ statusCode: res.statusCode, data: body })
      },
      fail: err => reject(networkError(err)),
    })
  })
}

/** 2xx 的回答原样返回；其余变成带平台说明的 ApiError。 */
function parse(res) {
  const status = res.statusCode
  if (status >= 200 && status < 300) return res.data
  const body = res.data
  let message = ''
  if (body && typeof body === 'object') {
    if (typeof body.detail === 'string') message = body.detail
    else if (Array.isArray(body.detail) && body.detail.length && body.detail[0].msg) {
      message = String(body.detail[0].msg)
    }
  }
  if (!message) {
    if (status === 401) message = TEXT.expired
    else if (status >= 500) message = TEXT.server
    else message = `${TEXT.failed}（${status}）`
  }
  throw new ApiError(message, { status })
}

// ---- 登录与绑定 ----

let signingIn = null
let bindPageOpen = false

function wxLogin() {
  return new Promise((resolve, reject) => {
    wx.login({
      timeout: TIMEOUT,
      success: res => (res && res.code ? resolve(res.code) : reject(new ApiError(TEXT.login))),
      fail: err => reject(new ApiError(TEXT.login, { network: true, errMsg: (err && err.errMsg) || '' })),
    })
  })
}

function openBindPage() {
  if (bindPageOpen) return
  bindPageOpen = true
  wx.navigateTo({
    url: BIND_PAGE,
    fail: () => {
      bindPageOpen = false
    },
  })
}

/** 绑定页关闭时调用：之后再遇到未绑定可以再次打开它。 */
function bindPageClosed() {
  bindPageOpen = false
}

/**
 * wx.login → /auth/wechat/mini-login。已绑定时存下完整令牌；
 * 未绑定时存下只能用于绑定的令牌，并（除非 navigate=false）转到绑定页。
 * 同时发起的多次登录合并为一次。解析为 {bound}。
 */
function signIn(options) {
  const navigate = !(options && options.navigate === false)
  if (!signingIn) {
    signingIn = wxLogin()
      .then(code => send('POST', '/auth/wechat/mini-login', { code }))
      .then(parse)
      .then(answer => {
        if (answer.bound) {
          setToken(answer.token)
          wx.removeStorageSync(BIND_TOKEN_KEY)
        } else {
          clearToken()
          wx.setStorageSync(BIND_TOKEN_KEY, answer.token)
        }
        return { bound: !!answer.bound }
      })
    const done = () => {
      signingIn = null
    }
    signingIn.then(done, done)
  }
  return signingIn.then(result => {
    if (!result.bound && navigate) openBindPage()
    return result
  })
}

function unboundError() {
  return new ApiError(TEXT.unbound, { status: 401, unbound: true })
}

function ensureSignedIn() {
  return signIn().then(result => {
    if (!result.bound) throw unboundError()
    return getToken()
  })
}

/**
 * 带令牌发送；401 时重新登录一次再发一次。
 * transmit(token) 返回 send/sendFile 的 Promise。
 */
function authed(transmit) {
  let signedIn = false
  const start = getToken()
    ? Promise.resolve(getToken())
    : ensureSignedIn().then(token => {
        signedIn = true
        return token
      })
  return start.then(token =>
    transmit(token).then(res => {
      if (res.statusCode !== 401) return parse(res)
      if (signedIn) {
        clearToken()
        return parse(res)
      }
      const current = getToken()
      // 另一个请求已经换了新令牌：直接用新令牌重发。
      const renewed =
        current && current !== token
          ? Promise.resolve(current)
          : (clearToken(), ensureSignedIn())
      return renewed
        .then(transmit)
        .then(again => {
          if (again.statusCode === 401) clearToken()
          return parse(again)
        })
    })
  )
}

/**
 * 发一个接口请求。
 *   request({path: '/me'})
 *   request({method: 'POST', path: '/cases', data: {...}})
 *   request({method: 'POST', path: '/auth/sms-code', data: {...}, auth: false})
 * 解析为回答的 JSON；失败时 reject 一个 ApiError（message 是给人看的中文）。
 */
function request(options) {
  const method = (options.method || 'GET').toUpperCase()
  const transmit = token => send(method, options.path, options.data, token)
  if (options.auth === false) return transmit('').then(parse)
  return authed(transmit)
}

/** 用 wx.uploadFile 上传一个文件（微信每次只能传一个）。 */
function upload(options) {
  return authed(token =>
    sendFile(options.path, options.filePath, options.name || 'file', options.formData, token)
  )
}

/**
 * 用绑定令牌绑定手机号；成功后存下完整令牌并解析为平台的回答 {bound, token}。
 * 绑定令牌过期（401）时重新登录取一个新的再试一次；
 * 若重新登录时发现这个微信已经绑定过，直接算作成功。
 */
function bindPhone(phone, smsCode) {
  const body = { phone, sms_code: smsCode }
  const fresh = () =>
    signIn({ navigate: false }).then(result =>
      result.bound ? { bound: true, token: getToken() } : null
    )
  const attempt = (token, retried) =>
    send('POST', '/auth/wechat/bind', body, token).then(res => {
      if (res.statusCode === 401 && !retried) {
        wx.removeStorageSync(BIND_TOKEN_KEY)
        return fresh().then(done => done || attempt(getBindToken(), true))
      }
      const answer = parse(res)
      setToken(answer.token)
      wx.removeStorageSync(BIND_TOKEN_KEY)
      return answer
    })
  const token = getBindToken()
  if (token) return attempt(token, false)
  return fresh().then(done => done || attempt(getBindToken(), true))
}

module.exports = {
  ApiError,
  TIMEOUT,
  UPLOAD_TIMEOUT,
  TOKEN_KEY,
  BIND_TOKEN_KEY,
  BIND_PAGE,
  apiBase,
  apiUrl,
  getToken,
  setToken,
  clearToken,
  getBindToken,
  signIn,
  bindPageClosed,
  bindPhone,
  request,
  upload,
}
