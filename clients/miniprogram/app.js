const config = require('./config')
const privacy = require('./utils/privacy')

App({
  globalData: {
    // 平台地址，见 config.js
    apiBase: config.apiBase,
  },

  onLaunch() {
    // 隐私接口（位置、相机、相册）要用而居民还没同意《隐私保护指引》时，由页面里的弹窗来问
    privacy.listen()
  },
})
