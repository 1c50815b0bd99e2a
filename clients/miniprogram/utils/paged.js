/**
 * 分页列表（我的诉求、消息）共用的加载逻辑：第一页、下拉刷新、“加载更多”、
 * 空列表和出错的状态。页面的 data 里有 items / state / hasMore / loadingMore / moreError / error。
 *
 * state：'loading' 第一次加载中，'list' 有内容，'empty' 没有内容，'error' 第一页没取到。
 */
const api = require('./api')

function create(page, options) {
  const pageSize = options.pageSize
  let busy = null
  let current = 0

  function url(n) {
    return options.path(n)
  }

  /** 加载第 n 页；n=1 时替换整个列表。quiet：不显示“加载中”（下拉刷新、回到页面时）。 */
  function load(n, quiet) {
    if (busy) return busy
    if (n === 1 && !quiet) page.setData({ state: 'loading', error: '' })
    if (n > 1) page.setData({ loadingMore: true, moreError: '' })
    busy = api
      .request({ path: url(n) })
      .then(answer => {
        const fresh = (answer.results || []).map(options.item)
        let items = fresh
        if (n > 1) {
          const seen = {}
          page.data.items.forEach(i => {
            seen[i.id] = true
          })
          items = page.data.items.concat(fresh.filter(i => !seen[i.id]))
        }
        current = n
        const count = Number(answer.count) || 0
        page.setData({
          items,
          state: items.length ? 'list' : 'empty',
          hasMore: n * pageSize < count && fresh.length > 0,
          loadingMore: false,
          moreError: '',
          error: '',
        })
      })
      .catch(err => {
        if (n > 1) page.setData({ loadingMore: false, moreError: err.message })
        else if (quiet && page.data.items.length) wx.showToast({ title: err.message, icon: 'none' })
        else page.setData({ state: 'error', error: err.message })
      })
      .then(() => {
        busy = null
      })
    return busy
  }

  return {
    first: () => load(1, false),
    refresh: () => load(1, true),
    more: () => (page.data.hasMore && !page.data.loadingMore ? load(current + 1, false) : Promise.resolve()),
  }
}

module.exports = { create }
