/**
 * “反映问题”的草稿：填写的内容和它的 external_id 一起存在手机上。
 *
 * external_id 每份草稿一个，重试时原样再发：平台对同一个 external_id 只建一件事，
 * 所以回答在路上丢了再提交一次，也不会变成两件。草稿在全部提交成功后才删除。
 *
 * 字段：external_id, description, location {name, address, latitude, longitude} | null,
 * photos [本地路径], public, case（已建好的事件 {id, number, ...}，照片没传完时有）,
 * uploaded [已传上去的照片路径]。
 */
const KEY = 'report_draft'

function newExternalId() {
  let random = ''
  while (random.length < 10) random += Math.random().toString(36).slice(2)
  return `mp-${Date.now().toString(36)}-${random.slice(0, 10)}`
}

function blank() {
  return {
    external_id: newExternalId(),
    description: '',
    location: null,
    photos: [],
    public: false,
    case: null,
    uploaded: [],
  }
}

/** 读出草稿；没有（或坏了）就开一份新的并存下。 */
function load() {
  let draft = null
  try {
    draft = wx.getStorageSync(KEY)
  } catch (e) {
    draft = null
  }
  if (!draft || typeof draft !== 'object' || !draft.external_id) {
    draft = blank()
    save(draft)
    return draft
  }
  return Object.assign(blank(), draft)
}

function save(draft) {
  try {
    wx.setStorageSync(KEY, draft)
  } catch (e) {
    // 存储满了：页面上的内容还在，只是关掉小程序后不保留
  }
}

function clear() {
  wx.removeStorageSync(KEY)
}

module.exports = { KEY, load, save, clear, blank, newExternalId }
