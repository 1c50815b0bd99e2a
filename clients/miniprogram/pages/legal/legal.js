/**
 * 阅读现行的用户协议或隐私政策（?kind=terms|privacy），不需要登录：绑定手机号之前就要能读。
 * 文字来自平台（GET /consent/documents/{kind}），由运营人员在后台发布新版本。
 */
const api = require('../../utils/api')
const consent = require('../../utils/consent')
const elder = require('../../utils/elder')

const KINDS = { terms: '用户协议', privacy: '隐私政策' }

Component({
  data: {
    elder: false,
    state: 'loading',
    error: '',
    doc: null,
  },

  methods: {
    onLoad(query) {
      this.kind = KINDS[query && query.kind] ? query.kind : 'privacy'
      wx.setNavigationBarTitle({ title: KINDS[this.kind] })
      return this.load()
    },

    onShow() {
      // 还没绑定时也会来这里：那时只用记下的长辈版设置，不去问 /me
      return elder.apply(this, { refresh: !!api.getToken() })
    },

    load() {
      this.setData({ state: 'loading', error: '' })
      return consent
        .document(this.kind)
        .then(doc => {
          const published = String(doc.published_at || '').slice(0, 10)
          const paragraphs = (doc.paragraphs || []).map(([heading, text]) => ({ heading, text }))
          this.setData({ state: 'ready', doc: Object.assign({}, doc, { published, paragraphs }) })
        })
        .catch(err => this.setData({ state: 'error', error: err.message }))
    },

    retry() {
      return this.load()
    },
  },
})
