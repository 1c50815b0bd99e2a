const api = require('../../utils/api')
const consent = require('../../utils/consent')
const elder = require('../../utils/elder')
const privacy = require('../../utils/privacy')

const COUNTDOWN = 60
const PHONE = /^1[3-9]\d{9}$/
const CODE = /^\d{4,8}$/

const TEXT = {
  badPhone: '请输入正确的 11 位手机号',
  badCode: '请输入短信验证码',
  sent: '验证码已发送',
  bound: '绑定成功',
  needConsent: '请先阅读并勾选同意《用户协议》和《隐私政策》',
  noDocuments: '协议还没有加载出来，请点“重新加载”',
}

Component({
  data: {
    elder: false,
    // 个人信息保护法：先同意用户协议和隐私政策，才出现手机号
    documents: null,
    docsError: '',
    ticked: false,
    agreed: false,
    phone: '',
    code: '',
    countdown: 0,
    sending: false,
    binding: false,
    demoCode: '',
    error: '',
  },

  lifetimes: {
    detached() {
      this.stopCountdown()
      api.bindPageClosed()
    },
  },

  methods: {
    onLoad() {
      return this.loadDocuments()
    },

    loadDocuments() {
      this.setData({ docsError: '' })
      return consent
        .documents()
        .then(documents => this.setData({ documents }))
        .catch(err => this.setData({ docsError: err.message }))
    },

    readTerms() {
      wx.navigateTo({ url: '/pages/legal/legal?kind=terms' })
    },

    readPrivacy() {
      wx.navigateTo({ url: '/pages/legal/legal?kind=privacy' })
    },

    onTick(event) {
      const ticked = (event.detail.value || []).indexOf('agree') >= 0
      this.setData({ ticked, error: '' })
    },

    /**
     * “同意并继续”：open-type="agreePrivacyAuthorization" 的按钮，点按同时记下对微信
     * 《隐私保护指引》的同意（bindagreeprivacyauthorization）；旧基础库没有这个事件，
     * 点按（bindtap）本身也走到这里。
     */
    agree(event) {
      if (!this.data.documents) {
        this.setData({ error: TEXT.noDocuments })
        return
      }
      if (!this.data.ticked) {
        this.setData({ error: TEXT.needConsent })
        return
      }
      if (event && event.type === 'agreeprivacyauthorization') privacy.agree('agree-btn')
      this.setData({ agreed: true, error: '' })
    },

    onShow() {
      // 还没有完整的令牌：只用记下的长辈版设置，不去问 /me
      return elder.apply(this, { refresh: false })
    },

    onUnload() {
      this.stopCountdown()
      api.bindPageClosed()
    },

    onPhone(event) {
      this.setData({ phone: String(event.detail.value || '').trim(), error: '' })
    },

    onCode(event) {
      this.setData({ code: String(event.detail.value || '').trim(), error: '' })
    },

    checkPhone() {
      if (PHONE.test(this.data.phone)) return true
      this.setData({ error: TEXT.badPhone })
      return false
    },

    sendCode() {
      if (!this.data.agreed) {
        this.setData({ error: TEXT.needConsent })
        return Promise.resolve()
      }
      if (this.data.countdown > 0 || this.data.sending) return Promise.resolve()
      if (!this.checkPhone()) return Promise.resolve()
      this.setData({ sending: true, error: '' })
      return api
        .request({ method: 'POST', path: '/auth/sms-code', data: { phone: this.data.phone }, auth: false })
        .then(answer => {
          const changes = { sending: false }
          if (answer && answer.demo_code) {
            changes.demoCode = answer.demo_code
            changes.code = answer.demo_code
          }
          this.setData(changes)
          wx.showToast({ title: TEXT.sent, icon: 'none' })
          this.startCountdown()
        })
        .catch(err => this.setData({ sending: false, error: err.message }))
    },

    startCountdown() {
      this.stopCountdown()
      this.setData({ countdown: COUNTDOWN })
      this.timer = setInterval(() => {
        const left = this.data.countdown - 1
        this.setData({ countdown: left > 0 ? left : 0 })
        if (left <= 0) this.stopCountdown()
      }, 1000)
    },

    stopCountdown() {
      if (this.timer) clearInterval(this.timer)
      this.timer = null
    },

    bind() {
      if (!this.data.agreed) {
        this.setData({ error: TEXT.needConsent })
        return Promise.resolve()
      }
      if (this.data.binding) return Promise.resolve()
      if (!this.checkPhone()) return Promise.resolve()
      if (!CODE.test(this.data.code)) {
        this.setData({ error: TEXT.badCode })
        return Promise.resolve()
      }
      this.setData({ binding: true, error: '' })
      return api
        .bindPhone(this.data.phone, this.data.code)
        .then(() => {
          // 同意的版本记到平台；断网没记上时 utils/consent 下次补记
          const shown = this.data.documents
          const versions = { terms_version: shown.terms.version, privacy_version: shown.privacy.version }
          return consent
            .record(versions, 'bind')
            .then(() => consent.settled())
            .catch(() => null)
        })
        .then(() => {
          this.setData({ binding: false })
          this.stopCountdown()
          api.bindPageClosed()
          wx.showToast({ title: TEXT.bound, icon: 'success' })
          // 回到来的地方；绑定页是第一页（没有上一页）时回首页
          wx.navigateBack({
            delta: 1,
            fail: () => wx.switchTab({ url: '/pages/home/home' }),
          })
        })
        .catch(err => this.setData({ binding: false, error: err.message }))
    },
  },
})
