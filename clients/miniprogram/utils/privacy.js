/**
 * 微信的隐私授权（公众平台「设置 → 服务内容声明 → 用户隐私保护指引」里填写的指引）。
 *
 * app.js 启动时调用 listen()：注册 wx.onNeedPrivacyAuthorization。页面调用位置、相机、相册、
 * 手机号等隐私接口而居民还没同意指引时，微信先调这里的回调，接口停在那里等待；
 * 这里把等待交给当前页面的隐私弹窗（components/privacy），居民点
 * <button open-type="agreePrivacyAuthorization"> 同意后 agree(按钮 id) 让接口继续，
 * 点“不同意”时 disagree() 让接口以 “privacy permission is not authorized” 失败。
 * 当前页面没有弹窗时按不同意处理，页面照常提示“不选也可以提交”。
 */
let pending = null
const popups = []

function settle(answer) {
  const waiting = pending
  pending = null
  if (waiting) waiting.resolve(answer)
}

function need(resolve, eventInfo) {
  // 上一个还没回答就来了新的：上一个按不同意结束，免得它永远停在那里。
  settle({ event: 'disagree' })
  pending = { resolve, referrer: (eventInfo && eventInfo.referrer) || '' }
  const popup = popups[popups.length - 1]
  if (!popup) {
    settle({ event: 'disagree' })
    return
  }
  // 告诉微信自定义弹窗已经展示给居民
  resolve({ event: 'exposureAuthorization' })
  popup.open(pending.referrer)
}

/** 注册监听；基础库低于 2.32.3 没有这个接口时什么也不做（那时微信不检查隐私授权）。 */
function listen() {
  if (typeof wx.onNeedPrivacyAuthorization !== 'function') return false
  wx.onNeedPrivacyAuthorization(need)
  return true
}

function agree(buttonId) {
  settle({ buttonId, event: 'agree' })
}

function disagree() {
  settle({ event: 'disagree' })
}

function waiting() {
  return !!pending
}

function attach(popup) {
  if (popups.indexOf(popup) < 0) popups.push(popup)
}

function detach(popup) {
  const index = popups.indexOf(popup)
  if (index >= 0) popups.splice(index, 1)
  if (!popups.length) disagree()
}

/** 打开微信展示的《…隐私保护指引》全文。 */
function openContract() {
  if (typeof wx.openPrivacyContract !== 'function') return Promise.resolve(false)
  return new Promise(resolve => {
    wx.openPrivacyContract({ success: () => resolve(true), fail: () => resolve(false) })
  })
}

/** 指引的名称（《原点在线小程序隐私保护指引》），取不到时用通用说法。 */
function contractName() {
  if (typeof wx.getPrivacySetting !== 'function') return Promise.resolve('')
  return new Promise(resolve => {
    wx.getPrivacySetting({
      success: res => resolve((res && res.privacyContractName) || ''),
      fail: () => resolve(''),
    })
  })
}

/** 一个隐私接口失败的原因：'privacy' 没同意指引，'denied' 拒绝了权限，'system' 系统不允许，'cancel'，''。 */
function reason(err) {
  const message = String((err && err.errMsg) || '')
  if (/cancel/.test(message)) return 'cancel'
  if (/privacy/.test(message) || (err && err.errno === 104)) return 'privacy'
  if (/system permission/.test(message)) return 'system'
  if (/auth den|auth deny|authorize|permission/.test(message)) return 'denied'
  return ''
}

module.exports = {
  listen,
  agree,
  disagree,
  waiting,
  attach,
  detach,
  openContract,
  contractName,
  reason,
}
