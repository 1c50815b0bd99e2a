/**
 * 用户协议或隐私政策出了新版本（或这个账号还没有同意记录）：请居民阅读并再次同意。
 * 由 utils/consent.ensure() 在首页、反映问题页打开时转来。不同意的居民可以在“我的 → 协议与授权”
 * 撤回同意并注销账号（网页，web-view 打开）。
 */
const consent = require('../../utils/consent')
const elder = require('../../utils/elder')
const links = require('../../utils/links')

const TEXT = {
  needConsent: '请先阅读并勾选同意《用户协议》和《隐私政策》',
  done: '已同意新版本',
}

Component({
  data: {
    elder: false,
    state: 'loading',
    error: '',
    documents: null,
    ticked: false,
    saving: false,
  },

  methods: {
    onLoad() {
      return this.load()
    },

    onShow() {
      return elder.apply(this)
    },

    load() {
      this.setData({ state: 'loading', error: '' })
      return consent
        .documents()
        .then(documents => this.setData({ state: 'ready', documents }))
        .catch(err => this.setData({ state: 'error', error: err.message }))
    },

    readTerms() {
      wx.navigateTo({ url: '/pages/legal/legal?kind=terms' })
    },

    readPrivacy() {
      wx.navigateTo({ url: '/pages/legal/legal?kind=privacy' })
    },

    onTick(event) {
      this.setData({ ticked: (event.detail.value || []).indexOf('agree') >= 0, error: '' })
    },

    agree() {
      if (this.data.saving) return Promise.resolve()
      if (!this.data.ticked) {
        this.setData({ error: TEXT.needConsent })
        return Promise.resolve()
      }
      const shown = this.data.documents
      this.setData({ saving: true, error: '' })
      return consent
        .record({ terms_version: shown.terms.version, privacy_version: shown.privacy.version }, 'renewal')
        .then(() => {
          consent.settled()
          this.setData({ saving: false })
          wx.showToast({ title: TEXT.done, icon: 'success' })
          wx.navigateBack({ delta: 1, fail: () => wx.switchTab({ url: '/pages/home/home' }) })
        })
        .catch(err => {
          // 409：刚好又有新版本，重新加载后再请居民同意
          this.setData({ saving: false, error: err.message, ticked: false })
          if (err.status === 409) return this.load().then(() => this.setData({ error: err.message }))
          return null
        })
    },

    manage() {
      wx.navigateTo({ url: links.webviewUrl('/m/legal/mine/', '协议与授权') })
    },
  },
})
