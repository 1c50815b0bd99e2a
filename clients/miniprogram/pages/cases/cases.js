const elder = require('../../utils/elder')
const format = require('../../utils/format')
const links = require('../../utils/links')
const paged = require('../../utils/paged')

const PAGE_SIZE = 20

function item(c) {
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    status: c.status,
    status_label: c.status_label,
    time: format.formatTime(c.created_at),
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
  },

  methods: {
    onLoad() {
      this.list = paged.create(this, {
        pageSize: PAGE_SIZE,
        path: n => `/cases?page=${n}&page_size=${PAGE_SIZE}`,
        item,
      })
      this.list.first()
    },

    onShow() {
      // 回到这一页（比如刚提交了新的问题）时悄悄刷新第一页
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

    report() {
      wx.navigateTo({ url: '/pages/report/report' })
    },

    openCase(event) {
      const id = event.currentTarget.dataset.id
      wx.navigateTo({ url: links.webviewUrl(`/cases/${id}/`, '诉求详情') })
    },
  },
})
