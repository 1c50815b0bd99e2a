/**
 * 部署配置：每个区县部署时只需改这里。
 *
 * apiBase —— 本区 wangge 平台的地址（https，不带结尾的 /）。
 * 这个域名必须在微信公众平台「开发管理 → 开发设置 → 服务器域名」里
 * 登记为 request 合法域名和 uploadFile 合法域名，并在「业务域名」里登记，
 * 否则 web-view 打不开平台的页面。
 */
module.exports = {
  apiBase: 'https://wangge.example.gov.cn',
}
