const { boot, open, flush, text, texts, exists, tap, signedIn, rootClasses } = require('./helpers')

let wx
beforeEach(() => {
  wx = boot()
  signedIn(wx)
})

function cases(from, n) {
  return Array.from({ length: n }, (_, i) => ({
    id: from + i,
    number: `ZY-${from + i}`,
    title: `问题 ${from + i}`,
    status: 'dispatched',
    status_label: '已派单',
    created_at: '2025-06-01T02:05:00Z',
  }))
}

test('shows the empty state', async () => {
  wx.reply('GET', '/cases', 200, { count: 0, page: 1, page_size: 20, results: [] })
  const comp = await open('cases')
  expect(text(comp, '#empty')).toContain('还没有反映过问题')
  expect(exists(comp, '.case')).toBe(false)
  await tap(comp, '#report')
  expect(wx.calls.navigateTo.map(n => n.url)).toEqual(['/pages/report/report'])
})

test('lists number, title, status and time (Beijing time)', async () => {
  wx.reply('GET', '/cases', 200, {
    count: 2, page: 1, page_size: 20,
    results: [
      { id: 9, number: 'ZY20250601-0009', title: '楼道灯坏了', status: 'dispatched', status_label: '已派单', created_at: '2025-06-01T02:05:00Z' },
      { id: 8, number: 'ZY20250530-0008', title: '井盖松动', status: 'closed', status_label: '已办结', created_at: '2025-05-30T23:30:00+08:00' },
    ],
  })
  const comp = await open('cases')
  expect(wx.sent('GET', '/cases')[0].query).toEqual({ page: '1', page_size: '20' })
  expect(texts(comp, '.case-number')).toEqual(['ZY20250601-0009', 'ZY20250530-0008'])
  expect(texts(comp, '.case-title')).toEqual(['楼道灯坏了', '井盖松动'])
  expect(texts(comp, '.case-status')).toEqual(['已派单', '已办结'])
  expect(texts(comp, '.case-time')).toEqual(['2025-06-01 10:05', '2025-05-30 23:30'])
  expect(exists(comp, '#more')).toBe(false)
  expect(text(comp, '#end')).toBe('没有更多了')
})

test('pages on 加载更多 and stops when everything is shown', async () => {
  wx.replyOnce('GET', '/cases', 200, { count: 25, page: 1, page_size: 20, results: cases(1, 20) })
  wx.replyOnce('GET', '/cases', 200, { count: 25, page: 2, page_size: 20, results: cases(21, 5) })
  const comp = await open('cases')
  expect(comp.querySelectorAll('.case')).toHaveLength(20)
  expect(text(comp, '#more')).toBe('加载更多')

  await tap(comp, '#more')
  expect(wx.sent('GET', '/cases').map(r => r.query.page)).toEqual(['1', '2'])
  expect(comp.querySelectorAll('.case')).toHaveLength(25)
  expect(texts(comp, '.case-number').slice(18)).toEqual(['ZY-19', 'ZY-20', 'ZY-21', 'ZY-22', 'ZY-23', 'ZY-24', 'ZY-25'])
  expect(exists(comp, '#more')).toBe(false)
})

test('reaching the bottom loads the next page too', async () => {
  wx.replyOnce('GET', '/cases', 200, { count: 21, page: 1, page_size: 20, results: cases(1, 20) })
  wx.replyOnce('GET', '/cases', 200, { count: 21, page: 2, page_size: 20, results: cases(21, 1) })
  const comp = await open('cases')
  comp.instance.onReachBottom()
  await flush()
  expect(comp.querySelectorAll('.case')).toHaveLength(21)
  comp.instance.onReachBottom()
  await flush()
  expect(wx.sent('GET', '/cases')).toHaveLength(2)
})

test('a failed 加载更多 keeps the list and says why', async () => {
  wx.replyOnce('GET', '/cases', 200, { count: 25, page: 1, page_size: 20, results: cases(1, 20) })
  wx.replyOnce('GET', '/cases', wx.networkFailure())
  const comp = await open('cases')
  await tap(comp, '#more')
  expect(comp.querySelectorAll('.case')).toHaveLength(20)
  expect(text(comp, '#more-error')).toBe('网络不可用，请稍后重试')
  expect(text(comp, '#more')).toBe('加载更多')
})

test('shows an error state with 重试 that loads again', async () => {
  wx.replyOnce('GET', '/cases', wx.networkFailure())
  wx.reply('GET', '/cases', 200, { count: 1, page: 1, page_size: 20, results: cases(1, 1) })
  const comp = await open('cases')
  expect(text(comp, '#error')).toBe('网络不可用，请稍后重试')
  expect(exists(comp, '.case')).toBe(false)
  await tap(comp, '#retry')
  expect(exists(comp, '#error-state')).toBe(false)
  expect(texts(comp, '.case-number')).toEqual(['ZY-1'])
})

test('pull-down refresh reloads the first page and stops the spinner', async () => {
  wx.replyOnce('GET', '/cases', 200, { count: 0, page: 1, page_size: 20, results: [] })
  wx.replyOnce('GET', '/cases', 200, { count: 1, page: 1, page_size: 20, results: cases(5, 1) })
  const comp = await open('cases')
  expect(exists(comp, '#empty')).toBe(true)
  await comp.instance.onPullDownRefresh()
  await flush()
  expect(texts(comp, '.case-number')).toEqual(['ZY-5'])
  expect(wx.calls.stopPullDownRefresh).toHaveLength(1)
})

test('tapping a case opens its progress page in the web-view', async () => {
  wx.reply('GET', '/cases', 200, { count: 1, page: 1, page_size: 20, results: cases(9, 1) })
  const comp = await open('cases')
  await tap(comp, '#case-9')
  expect(wx.calls.navigateTo.map(n => n.url)).toEqual([
    `/pages/webview/webview?path=${encodeURIComponent('/cases/9/')}&title=${encodeURIComponent('诉求详情')}`,
  ])
})

test('coming back to the tab refreshes the list', async () => {
  wx.reply('GET', '/cases', 200, { count: 0, page: 1, page_size: 20, results: [] })
  const comp = await open('cases')
  comp.instance.onShow()
  await flush()
  expect(wx.sent('GET', '/cases')).toHaveLength(2)
})

test('长辈版 adds the elder class', async () => {
  signedIn(wx, { elder_mode: true })
  wx.reply('GET', '/cases', 200, { count: 0, page: 1, page_size: 20, results: [] })
  const comp = await open('cases')
  expect(rootClasses(comp)).toContain('elder')
})
