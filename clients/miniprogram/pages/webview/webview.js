/**
 * 在 web-view 里打开平台的网页（志愿服务、积分兑换……）。
 * 参数 path 是站内路径，title 是导航栏标题。每次打开都向平台要一张新的一次性票据：
 * POST /me/wechat/web-ticket {"next": path} → {"url"}，web-view 打开这个地址即已登录。
 */
const api = require('../../utils/api')
const elder = require('../../utils/elder')
const links = require('../../utils/links')

const TEXT = {
  badLink: '链接无效，无法打开',
}

function decode(value) {
  try {
    return decodeURIComponent(value || '')
  } catch (e) {
    return ''
  }
}

Component({
  data: {
    elder: false,
    src: '',
    error: '',
  },

  methods: {
    onLoad(query) {
      this.path = decode(query && query.path) || '/m/'
      const title = decode(query && query.title)
      if (title) wx.setNavigationBarTitle({ title })
      this.open()
    },

    onShow() {
      return elder.apply(this)
    },

    open() {
      if (!links.isSitePath(this.path)) {
        this.setData({ error: TEXT.badLink })
        return Promise.resolve()
      }
      this.setData({ error: '', src: '' })
      return api
        .request({ method: 'POST', path: '/me/wechat/web-ticket', data: { next: this.path } })
        .then(answer => this.setData({ src: answer.url }))
        .catch(err => this.setData({ error: err.message }))
    },

    retry() {
      return this.open()
    },
  },
})
