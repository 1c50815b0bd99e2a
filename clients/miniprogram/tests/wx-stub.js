/**
 * A stand-in for the `wx` global of the mini-program runtime.
 *
 * Each test sets what the "server" and the phone answer, then checks what was sent:
 *
 *   const wx = install()
 *   wx.reply('POST', '/cases', 201, {id: 7, number: 'ZY001'})       // answer with a status and body
 *   wx.reply('POST', '/cases', wx.networkFailure())                  // the fail callback (no signal)
 *   wx.replyOnce('GET', '/me', 401, {detail: '令牌无效'})             // only the next call
 *   wx.answers.chooseLocation = {name, address, latitude, longitude}
 *   wx.requests  → every wx.request / wx.uploadFile call, with method, path, query, data, header
 *   wx.privacy.needed = true                                         // the privacy guide not yet agreed
 *
 * With privacy.needed, a privacy API (chooseLocation, chooseMedia) first calls the listener
 * the app gave wx.onNeedPrivacyAuthorization and waits: resolve({event: 'agree', buttonId})
 * lets it go on (and the guide counts as agreed), resolve({event: 'disagree'}) makes it fail
 * with "privacy permission is not authorized" (errno 104), as WeChat documents.
 *
 * Paths are matched without the API prefix and without the query string. A request nothing
 * was set for answers 404 {"detail": "（测试）未设置的接口"} so a forgotten stub shows up.
 * Callbacks run asynchronously (a microtask later), as in WeChat.
 */

const API_PREFIX = '/api/v1'

function later(fn) {
  Promise.resolve().then(fn)
}

function splitUrl(url) {
  const match = /^https?:\/\/[^/]+(\/[^?#]*)(?:\?([^#]*))?/.exec(url)
  const fullPath = match ? match[1] : url
  const query = {}
  if (match && match[2]) {
    match[2].split('&').forEach(pair => {
      const [k, v = ''] = pair.split('=')
      query[decodeURIComponent(k)] = decodeURIComponent(v)
    })
  }
  const path = fullPath.indexOf(API_PREFIX) === 0 ? fullPath.slice(API_PREFIX.length) : fullPath
  return { path, query }
}

function finish(options, ok, payload) {
  const callback = ok ? options.success : options.fail
  if (callback) callback(payload)
  if (options.complete) options.complete(payload)
}

function createStub() {
  const routes = [] // {method, path, answer}: the latest set first
  const onceRoutes = [] // {method, path, answer}: first in, first out
  const storage = {}

  const stub = {
    requests: [],
    calls: {
      login: [],
      chooseLocation: [],
      chooseMedia: [],
      requestSubscribeMessage: [],
      navigateTo: [],
      redirectTo: [],
      navigateBack: [],
      switchTab: [],
      showToast: [],
      showModal: [],
      stopPullDownRefresh: [],
      setNavigationBarTitle: [],
      openSetting: [],
      openPrivacyContract: [],
      privacyAnswers: [],
    },
    privacy: { needed: false, listener: null, name: '《原点在线小程序隐私保护指引》' },
    // What the phone answers; an object with `fail` makes the call fail with it.
    answers: {
      login: { code: 'wx-code-1' },
      chooseLocation: { fail: { errMsg: 'chooseLocation:fail cancel' } },
      chooseMedia: { fail: { errMsg: 'chooseMedia:fail cancel' } },
      requestSubscribeMessage: { fail: { errMsg: 'requestSubscribeMessage:fail', errCode: 20004 } },
      showModal: { confirm: true, cancel: false },
      navigateBack: { errMsg: 'navigateBack:ok' },
    },
    storage,

    /** Answer `method path` with (status, body) or with networkFailure(), from now on. */
    reply(method, path, status, body) {
      routes.unshift({ method, path, answer: toAnswer(status, body) })
      return stub
    },

    /** One answer for one call; several queue up in the order set, before any reply(). */
    replyOnce(method, path, status, body) {
      onceRoutes.push({ method, path, answer: toAnswer(status, body) })
      return stub
    },

    networkFailure(errMsg) {
      return { network: errMsg || 'request:fail timeout' }
    },

    /** The requests sent to `method path` (method 'UPLOAD' for wx.uploadFile). */
    sent(method, path) {
      return stub.requests.filter(r => r.method === method && (!path || r.path === path))
    },

    // ---- the wx API ----

    request(options) {
      const { path, query } = splitUrl(options.url)
      const method = (options.method || 'GET').toUpperCase()
      const record = {
        method,
        path,
        query,
        url: options.url,
        data: options.data === undefined ? undefined : JSON.parse(JSON.stringify(options.data)),
        header: Object.assign({}, options.header),
        timeout: options.timeout,
      }
      stub.requests.push(record)
      const answer = take(method, path)
      later(() => {
        if (answer.network) finish(options, false, { errMsg: answer.network })
        else {
          finish(options, true, {
            statusCode: answer.status,
            data: answer.body,
            header: {},
            errMsg: 'request:ok',
          })
        }
      })
      return { abort() {} }
    },

    uploadFile(options) {
      const { path, query } = splitUrl(options.url)
      stub.requests.push({
        method: 'UPLOAD',
        path,
        query,
        url: options.url,
        filePath: options.filePath,
        name: options.name,
        formData: options.formData,
        header: Object.assign({}, options.header),
        timeout: options.timeout,
      })
      const answer = take('UPLOAD', path)
      later(() => {
        if (answer.network) finish(options, false, { errMsg: answer.network.replace('request', 'uploadFile') })
        else {
          finish(options, true, {
            statusCode: answer.status,
            // WeChat hands the body of an upload's answer over as a string.
            data: typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body),
            errMsg: 'uploadFile:ok',
          })
        }
      })
      return { abort() {}, onProgressUpdate() {} }
    },

    login(options) {
      stub.calls.login.push(options)
      answerWith(options, stub.answers.login)
    },

    chooseLocation(options) {
      stub.calls.chooseLocation.push(options)
      guarded('chooseLocation', options, () =>
        answerWith(options, Object.assign({ errMsg: 'chooseLocation:ok' }, stub.answers.chooseLocation))
      )
    },

    chooseMedia(options) {
      stub.calls.chooseMedia.push(options)
      guarded('chooseMedia', options, () => answerWith(options, stub.answers.chooseMedia))
    },

    onNeedPrivacyAuthorization(listener) {
      stub.privacy.listener = listener
    },

    getPrivacySetting(options) {
      answerWith(options, {
        needAuthorization: stub.privacy.needed,
        privacyContractName: stub.privacy.name,
        errMsg: 'getPrivacySetting:ok',
      })
    },

    openPrivacyContract(options = {}) {
      stub.calls.openPrivacyContract.push(options)
      answerWith(options, { errMsg: 'openPrivacyContract:ok' })
    },

    openSetting(options = {}) {
      stub.calls.openSetting.push(options)
      answerWith(options, { authSetting: {}, errMsg: 'openSetting:ok' })
    },

    requestSubscribeMessage(options) {
      stub.calls.requestSubscribeMessage.push(options)
      answerWith(options, stub.answers.requestSubscribeMessage)
    },

    getStorageSync(key) {
      return Object.prototype.hasOwnProperty.call(storage, key) ? clone(storage[key]) : ''
    },

    setStorageSync(key, value) {
      storage[key] = clone(value)
    },

    removeStorageSync(key) {
      delete storage[key]
    },

    navigateTo(options) {
      stub.calls.navigateTo.push(options)
      answerWith(options, { errMsg: 'navigateTo:ok' })
    },

    redirectTo(options) {
      stub.calls.redirectTo.push(options)
      answerWith(options, { errMsg: 'redirectTo:ok' })
    },

    navigateBack(options = {}) {
      stub.calls.navigateBack.push(options)
      answerWith(options, stub.answers.navigateBack)
    },

    switchTab(options) {
      stub.calls.switchTab.push(options)
      answerWith(options, { errMsg: 'switchTab:ok' })
    },

    showToast(options) {
      stub.calls.showToast.push(options)
      answerWith(options, { errMsg: 'showToast:ok' })
    },

    showModal(options) {
      stub.calls.showModal.push(options)
      answerWith(options, Object.assign({ errMsg: 'showModal:ok' }, stub.answers.showModal))
    },

    stopPullDownRefresh(options = {}) {
      stub.calls.stopPullDownRefresh.push(options)
      answerWith(options, { errMsg: 'stopPullDownRefresh:ok' })
    },

    setNavigationBarTitle(options) {
      stub.calls.setNavigationBarTitle.push(options)
      answerWith(options, { errMsg: 'setNavigationBarTitle:ok' })
    },
  }

  /** A privacy API: asks the app's listener first while the guide is not agreed. */
  function guarded(name, options, proceed) {
    if (!stub.privacy.needed || !stub.privacy.listener) return proceed()
    stub.privacy.listener(
      answer => {
        stub.calls.privacyAnswers.push(answer)
        if (answer.event === 'agree') {
          stub.privacy.needed = false
          proceed()
        } else if (answer.event === 'disagree') {
          const fail = { errMsg: `${name}:fail privacy permission is not authorized`, errno: 104 }
          later(() => finish(options || {}, false, fail))
        }
      },
      { referrer: name }
    )
  }

  function toAnswer(status, body) {
    if (status && typeof status === 'object' && status.network) return status
    return { status, body }
  }

  function take(method, path) {
    const matches = r => r.method === method && r.path === path
    const once = onceRoutes.findIndex(matches)
    if (once >= 0) return onceRoutes.splice(once, 1)[0].answer
    const route = routes.find(matches)
    return route ? route.answer : { status: 404, body: { detail: '（测试）未设置的接口' } }
  }

  function answerWith(options, answer) {
    const ok = !(answer && answer.fail)
    later(() => finish(options || {}, ok, ok ? clone(answer) : clone(answer.fail)))
  }

  return stub
}

function clone(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value))
}

/**
 * Put a fresh stub's functions on the global `wx` (keeping what miniprogram-simulate put there
 * for the APIs these pages do not use) and return the stub for setting answers and checking calls.
 */
function install() {
  const stub = createStub()
  const target = typeof global.wx === 'object' && global.wx ? global.wx : (global.wx = {})
  Object.keys(stub).forEach(key => {
    if (typeof stub[key] === 'function') target[key] = stub[key]
  })
  return stub
}

module.exports = { install, createStub }
