const config = require('./config')

App({
  globalData: {
    // 平台地址，见 config.js
    apiBase: config.apiBase,
  },
})
