/**
 * 长辈版：平台 /me 回答 elder_mode=true 时，每个页面根节点加上 class "elder"
 * （放大字号和按钮，规则在 app.wxss）。每个页面在 onShow 里调用 apply(this)，
 * 在 wxml 根节点写 class="page {{elder ? 'elder' : ''}}"。
 *
 * 先用上次记下的设置立即生效（不闪一下小字），再向平台问一次最新的：
 * 居民可能刚在网页“我的”里切换了长辈版。
 */
const api = require('./api')

const KEY = 'elder_mode'

let asking = null

function cached() {
  try {
    return wx.getStorageSync(KEY) === true
  } catch (e) {
    return false
  }
}

/** 向平台问一次 /me，记下 elder_mode；同时发起的合并为一次。解析为 /me 的回答。 */
function refresh() {
  if (!asking) {
    asking = api.request({ path: '/me' }).then(
      me => {
        asking = null
        wx.setStorageSync(KEY, !!(me && me.elder_mode))
        return me
      },
      err => {
        asking = null
        throw err
      }
    )
  }
  return asking
}

function show(page, on) {
  if (page.data.elder !== on) page.setData({ elder: on })
}

/**
 * 给页面设置 data.elder。options.refresh=false 时只用记下的设置（绑定页：还没有令牌）。
 * 解析为 /me 的回答；问不到时解析为 null（页面照常用记下的设置）。
 */
function apply(page, options) {
  show(page, cached())
  if (options && options.refresh === false) return Promise.resolve(null)
  return refresh().then(
    me => {
      show(page, !!(me && me.elder_mode))
      return me
    },
    () => null
  )
}

module.exports = { KEY, apply, cached, refresh }
