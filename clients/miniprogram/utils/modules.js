/**
 * 原点在线的模块：首页的八个格子，以及“我的”一行的入口。
 * page —— 小程序里的原生页面；tab —— 底部标签页；path —— 平台网页，用 web-view 打开。
 * plain —— 长辈版里的叫法（与平台网页版的长辈版一致：说它是干什么的）。
 */
const TILES = [
  { key: 'report', name: '有事找支部', plain: '反映问题', icon: '报', page: '/pages/report/report' },
  { key: 'volunteer', name: '志愿服务', plain: '做志愿者', icon: '志', path: '/volunteering/' },
  { key: 'points', name: '积分兑换', plain: '积分换物', icon: '兑', path: '/points/' },
  { key: 'market', name: '乐享闲置', plain: '旧物送人', icon: '享', path: '/market/' },
  { key: 'circles', name: '圈子', plain: '邻里圈子', icon: '圈', path: '/circles/' },
  { key: 'assistant', name: '小原帮办', plain: '问小原', icon: '原', path: '/assistant/' },
  { key: 'honours', name: '荣誉榜单', plain: '光荣榜', icon: '榜', path: '/rankings/' },
  { key: 'nearby', name: '附近', plain: '附近服务点', icon: '近', path: '/m/nearby/' },
]

const LINKS = [
  { key: 'cases', name: '我的诉求', plain: '我反映的事', tab: '/pages/cases/cases' },
  { key: 'messages', name: '消息', plain: '消息', tab: '/pages/messages/messages' },
  { key: 'me', name: '我的', plain: '我的', path: '/m/me/' },
]

function find(key) {
  return TILES.concat(LINKS).find(m => m.key === key) || null
}

module.exports = { TILES, LINKS, find }
