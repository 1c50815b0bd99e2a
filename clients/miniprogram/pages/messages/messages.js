const api = require('../../utils/api')
const elder = require('../../utils/elder')
const format = require('../../utils/format')
const links = require('../../utils/links')
const paged = require('../../utils/paged')

// GET /me/messages 不带 page_size：按平台默认每页 20 条计算是否还有下一页
const PAGE_SIZE = 20

const TEXT = {
  noticeOn: '已开启公告提醒',
  noticeOff: '没有开启，可以随时再点',
}

function item(m) {
  return {
    id: m.id,
    title: m.title,
    body: m.body,
    read: !!m.read,
    path: links.toSitePath(m.url),
    time: format.formatTime(m.created_at),
  }
}

Component({
  data: {
    elder: false,
    items: [],
    state: 'loading',
    error: '',
    hasMore: false,
    loadingMore: false,
    moreError: '',
    // 网格公告的订阅消息模板 id（平台配置了才有）：在这里请居民订阅，一次点按一次授权
    noticeTemplate: '',
    subscribing: false,
  },

  methods: {
    onLoad() {
      this.list = paged.create(this, {
        pageSize: PAGE_SIZE,
        path: n => `/me/messages?page=${n}`,
        item,
      })
      this.list.first()
      this.loadTemplates()
    },

    loadTemplates() {
      return api
        .request({ path: '/me/wechat/templates' })
        .then(templates => this.setData({ noticeTemplate: (templates && templates.notice) || '' }))
        .catch(() => null)
    },

    /** 居民点“公告发布时提醒我”：就在这次点按里调起微信的订阅界面，再把回答告诉平台。 */
    subscribeNotice() {
      const id = this.data.noticeTemplate
      if (!id || this.data.subscribing) return Promise.resolve()
      this.setData({ subscribing: true })
      return new Promise(resolve => {
        wx.requestSubscribeMessage({
          tmplIds: [id],
          success: answer => {
            const body = Object.assign({}, answer)
            delete body.errMsg
            const accepted = body[id] === 'accept'
            wx.showToast({ title: accepted ? TEXT.noticeOn : TEXT.noticeOff, icon: 'none' })
            resolve(
              api
                .request({ method: 'POST', path: '/me/wechat/subscriptions', data: body })
                .catch(() => null)
            )
          },
          fail: () => {
            wx.showToast({ title: TEXT.noticeOff, icon: 'none' })
            resolve(null)
          },
        })
      }).then(() => this.setData({ subscribing: false }))
    },

    onShow() {
      if (this.shown) this.list.refresh()
      this.shown = true
      return elder.apply(this)
    },

    onPullDownRefresh() {
      return this.list.refresh().then(() => wx.stopPullDownRefresh())
    },

    onReachBottom() {
      return this.list.more()
    },

    loadMore() {
      return this.list.more()
    },

    retry() {
      return this.list.first()
    },

    /** 点一条消息：标为已读（先在页面上，平台没记上就恢复未读），有链接就打开。 */
    openMessage(event) {
      const index = Number(event.currentTarget.dataset.index)
      const message = this.data.items[index]
      if (!message) return Promise.resolve()
      let marking = Promise.resolve()
      if (!message.read) {
        this.setData({ [`items[${index}].read`]: true })
        marking = api
          .request({ method: 'POST', path: `/me/messages/${message.id}/read` })
          .catch(() => {
            const now = this.data.items[index]
            if (now && now.id === message.id) this.setData({ [`items[${index}].read`]: false })
          })
      }
      if (message.path) wx.navigateTo({ url: links.webviewUrl(message.path, message.title) })
      return marking
    },
  },
})
