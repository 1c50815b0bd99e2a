const api = require('../../utils/api')
const consent = require('../../utils/consent')
const elder = require('../../utils/elder')
const links = require('../../utils/links')
const modules = require('../../utils/modules')

Component({
  data: {
    elder: false,
    name: '',
    error: '',
    tiles: modules.TILES,
    links: modules.LINKS,
  },

  methods: {
    onLoad() {
      // 首次打开（还没有令牌）先用微信登录；未绑定手机号时 signIn 会转到绑定页。
      if (!api.getToken()) {
        api.signIn().catch(err => this.setData({ error: err.message }))
      }
    },

    onShow() {
      // 已绑定的居民：协议有新版本时先请他再次同意（每次启动问一次平台）
      consent.ensure()
      return elder.apply(this).then(me => {
        if (me) this.setData({ name: me.name || me.phone_masked || '', error: '' })
      })
    },

    open(event) {
      const module = modules.find(event.currentTarget.dataset.key)
      if (module) links.openModule(module)
    },
  },
})
