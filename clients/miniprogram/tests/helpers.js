/**
 * Loading a page the way these tests use it: a fresh module registry (so the page's
 * Component() runs again and utils/ start from a clean state), the real app.js behind getApp(),
 * the wx stub installed, the page rendered and attached, then onLoad(query) and onShow() called
 * as WeChat does when a page opens.
 */
const path = require('path')
const timers = require('timers')
const wxStub = require('./wx-stub')

const ROOT = path.resolve(__dirname, '..')

/** Let every pending callback and promise settle (works with fake timers too). */
function flush(rounds = 3) {
  let chain = Promise.resolve()
  for (let i = 0; i < rounds; i++) chain = chain.then(() => new Promise(r => timers.setImmediate(r)))
  return chain
}

// miniprogram-simulate registers the built-in components as bare <slot/>s, which drop the
// attributes a person sees the effect of (a greyed-out button, an input's text, the web-view's
// address). Registered again with those attributes as properties, a test can read them from the
// node: comp.querySelector('#send').data.disabled.
const BUILTINS = {
  button: { disabled: Boolean, loading: Boolean },
  input: { value: String, disabled: Boolean, maxlength: Number, type: String, placeholder: String },
  textarea: { value: String, disabled: Boolean, maxlength: Number, placeholder: String },
  switch: { checked: Boolean, disabled: Boolean },
  image: { src: String },
  'web-view': { src: String },
  checkbox: { value: String, checked: Boolean, disabled: Boolean },
  'checkbox-group': {},
}

// Pages rendered since the last boot(): their modules are cached, so Component() would not run
// again for a second copy of the same page.
let rendered = new Set()

/** A fresh module registry, the real app.js, the wx stub: returns the stub. */
function boot() {
  jest.resetModules()
  rendered = new Set()
  const simulate = require('miniprogram-simulate') // sets global.Component and a default global.wx
  Object.keys(BUILTINS).forEach(name => {
    simulate.load({ id: name, tagName: `wx-${name}`, template: '<slot/>', properties: BUILTINS[name] })
  })
  const wx = wxStub.install()
  let app = null
  global.App = options => {
    app = options
  }
  require(path.join(ROOT, 'app.js'))
  global.getApp = () => app
  if (app && app.onLaunch) app.onLaunch({ path: 'pages/home/home', query: {} })
  return wx
}

/** Render pages/<name>/<name> (Component-built page) without opening it. */
function render(name) {
  const simulate = require('miniprogram-simulate')
  const load = () =>
    simulate.load(path.join(ROOT, 'pages', name, name), {
      compiler: process.env.MP_COMPILER || 'simulate',
      rootPath: ROOT,
    })
  let id
  if (rendered.has(name)) {
    // the same page opened again (a second page instance): run its module afresh
    jest.isolateModules(() => {
      id = load()
    })
  } else {
    id = load()
  }
  rendered.add(name)
  const comp = simulate.render(id)
  const parent = document.createElement('parent-wrapper')
  comp.attach(parent)
  return comp
}

/** Render a page and open it: onLoad(query), onShow(), then let the requests settle. */
async function open(name, query) {
  const comp = render(name)
  if (comp.instance.onLoad) comp.instance.onLoad(query || {})
  if (comp.instance.onShow) comp.instance.onShow()
  await flush()
  return comp
}

/** Text of the first node matching selector, or null when it is not rendered. */
function text(comp, selector) {
  const node = comp.querySelector(selector)
  return node ? node.dom.textContent.replace(/\s+/g, ' ').trim() : null
}

/** Whether a child component's own DOM has a node of class cls (e.g. a message's unread dot). */
function hasNode(child, cls) {
  return !!child.dom.querySelector(`.main--${cls}`)
}

/** Whether anything matches selector (j-component answers undefined, not null, for nothing). */
function exists(comp, selector) {
  return !!comp.querySelector(selector)
}

/** The classes of the page's root node, without the prefix miniprogram-simulate adds. */
function rootClasses(comp) {
  const root = comp.querySelector('#root')
  if (!root) throw new Error('the page has no #root')
  return root.dom.className.split(/\s+/).filter(Boolean).map(c => c.replace(/^main--/, ''))
}

function texts(comp, selector) {
  return comp.querySelectorAll(selector).map(n => n.dom.textContent.replace(/\s+/g, ' ').trim())
}

/** Tap a node (its bindtap handler runs with the node's data-* as currentTarget.dataset). */
async function tap(comp, selector) {
  const node = comp.querySelector(selector)
  if (!node) throw new Error(`nothing matches ${selector}`)
  node.dispatchEvent('tap')
  await flush()
}

/** Tick or untick the boxes of a checkbox-group (bindchange gets the ticked values). */
async function tick(comp, selector, values) {
  const node = comp.querySelector(selector)
  if (!node) throw new Error(`nothing matches ${selector}`)
  node.dispatchEvent('change', { detail: { value: values } })
  await flush()
}

/**
 * Tap a <button open-type="agreePrivacyAuthorization">: WeChat sends the tap, then (having
 * recorded the agreement to the privacy guide) agreeprivacyauthorization.
 */
async function agreePrivacy(comp, selector) {
  const node = comp.querySelector(selector)
  if (!node) throw new Error(`nothing matches ${selector}`)
  node.dispatchEvent('tap')
  node.dispatchEvent('agreeprivacyauthorization')
  await flush()
}

/** Type into an input or textarea (bindinput gets detail.value). */
async function type(comp, selector, value) {
  const node = comp.querySelector(selector)
  if (!node) throw new Error(`nothing matches ${selector}`)
  node.dispatchEvent('input', { detail: { value } })
  await flush()
}

/** A signed-in resident: a full token in storage and a /me answer. */
function signedIn(wx, me) {
  wx.storage.token = 'full-token-1'
  wx.reply('GET', '/me', 200, Object.assign(
    { name: '张三', phone_masked: '138****0001', elder_mode: false, verified: true },
    me || {}
  ))
}

module.exports = {
  ROOT,
  flush,
  boot,
  render,
  open,
  text,
  texts,
  exists,
  hasNode,
  rootClasses,
  tap,
  tick,
  agreePrivacy,
  type,
  signedIn,
}
