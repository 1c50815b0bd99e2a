/**
 * 用户协议和隐私政策的同意（个人信息保护法）。
 *
 * 绑定页在居民输入手机号之前请居民阅读并同意；绑定成功后 record() 把同意的版本记到平台
 * （POST /consent/me）。没记上（断网）时先存在手机上，下次打开首页 ensure() 补记。
 * ensure() 每次启动问一次平台：同意的是旧版本（或从没记录过）就打开“协议更新”页再问一次。
 */
const api = require('./api')

const PENDING_KEY = 'consent_pending'
const CONSENT_PAGE = '/pages/consent/consent'

let checked = false

function documents() {
  return api.request({ path: '/consent/documents', auth: false })
}

function document(kind) {
  return api.request({ path: `/consent/documents/${kind}`, auth: false })
}

/** 记下同意；versions = {terms_version, privacy_version}，occasion 'bind' 或 'renewal'。 */
function record(versions, occasion) {
  const body = {
    terms_version: versions.terms_version,
    privacy_version: versions.privacy_version,
    occasion: occasion || 'bind',
  }
  return api
    .request({ method: 'POST', path: '/consent/me', data: body })
    .then(answer => {
      wx.removeStorageSync(PENDING_KEY)
      return answer
    })
    .catch(err => {
      // 断网时留着下次补记；版本已更新（409）等其他回答由 ensure() 重新请居民同意
      if (err.network) wx.setStorageSync(PENDING_KEY, body)
      else wx.removeStorageSync(PENDING_KEY)
      throw err
    })
}

/** 已绑定的居民：补记没记上的同意，同意的不是现行版本时打开协议更新页。出错时不打扰居民。 */
function ensure() {
  if (checked || !api.getToken()) return Promise.resolve(null)
  checked = true
  let kept = ''
  try {
    kept = wx.getStorageSync(PENDING_KEY)
  } catch (e) {
    kept = ''
  }
  const first = kept ? record(kept, kept.occasion).catch(() => null) : Promise.resolve(null)
  return first
    .then(() => api.request({ path: '/consent/me' }))
    .then(state => {
      if (state && !state.agreed) wx.navigateTo({ url: CONSENT_PAGE })
      return state
    })
    .catch(() => {
      checked = false
      return null
    })
}

/** 同意之后：本次启动不再问。 */
function settled() {
  checked = true
}

module.exports = { PENDING_KEY, CONSENT_PAGE, documents, document, record, ensure, settled }
