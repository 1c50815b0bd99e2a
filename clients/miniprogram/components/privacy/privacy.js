/**
 * 隐私保护弹窗：页面调用位置、相机、相册等隐私接口而居民还没同意《隐私保护指引》时出现
 * （由 utils/privacy.js 收到 wx.onNeedPrivacyAuthorization 后打开）。
 * “同意”是 open-type="agreePrivacyAuthorization" 的按钮，微信据此记下居民的同意。
 */
const privacy = require('../../utils/privacy')

const WHAT = {
  chooseLocation: '选择位置',
  chooseMedia: '拍照或选择照片',
  chooseImage: '拍照或选择照片',
  'button.getPhoneNumber': '获取手机号',
}

Component({
  // 用 app.wxss 里的按钮样式
  options: { styleIsolation: 'apply-shared' },

  properties: {
    elder: { type: Boolean, value: false },
  },

  data: {
    show: false,
    what: '',
    name: '《原点在线小程序隐私保护指引》',
  },

  lifetimes: {
    attached() {
      privacy.attach(this)
    },
    detached() {
      privacy.detach(this)
    },
  },

  methods: {
    open(referrer) {
      this.setData({ show: true, what: WHAT[referrer] || '这项功能' })
      return privacy.contractName().then(name => {
        if (name) this.setData({ name })
      })
    },

    readGuide() {
      return privacy.openContract()
    },

    agree() {
      privacy.agree('privacy-agree')
      this.setData({ show: false })
    },

    disagree() {
      privacy.disagree()
      this.setData({ show: false })
    },
  },
})
