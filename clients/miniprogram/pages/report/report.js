const api = require('../../utils/api')
const consent = require('../../utils/consent')
const drafts = require('../../utils/draft')
const elder = require('../../utils/elder')
const privacy = require('../../utils/privacy')

const MAX_LENGTH = 4000
const MAX_PHOTOS = 9
// 提交成功后请居民订阅的提醒：受理、办结、请评价
const SUBSCRIBE_EVENTS = ['accepted', 'resolved', 'rate']

const TEXT = {
  needDescription: '请填写问题描述。',
  tooLong: `问题描述不能超过 ${MAX_LENGTH} 字。`,
  offline: '网络不可用，内容已保留，请稍后重试',
  tooMany: `最多 ${MAX_PHOTOS} 张照片`,
  // 拒绝的原因不同，重新打开的地方也不同：小程序的权限在右上角“…→设置”，
  // 微信本身的权限在手机系统的设置里；没同意隐私保护指引时再点一次就会再问。
  locationDenied: '您没有允许本小程序使用位置信息。需要时点下面的“去设置”（或右上角“…→设置”）打开“位置信息”；不选位置也可以直接提交。',
  locationSystem: '手机没有允许微信使用定位。请在手机的“设置”里找到微信，打开“位置信息”；不选位置也可以直接提交。',
  locationPrivacy: '您没有同意隐私保护指引，所以没有选位置。不选位置也可以直接提交；想选时再点“选择位置”并同意即可。',
  locationFailed: '没有选到位置，请再试一次。',
  cameraDenied: '您没有允许本小程序使用摄像头或相册。需要时点下面的“去设置”（或右上角“…→设置”）打开“摄像头”和“相册”；不拍照也可以直接提交。',
  cameraSystem: '手机没有允许微信使用相机或相册。请在手机的“设置”里找到微信，打开“相机”和“照片”；不拍照也可以直接提交。',
  cameraPrivacy: '您没有同意隐私保护指引，所以没有添加照片。不拍照也可以直接提交；想拍时再点“＋”并同意即可。',
  photoFailed: '没有选到照片，请再试一次。',
  handlerPending: '正在分派给网格员',
  earlier: '网络中断前这件事已经提交成功，以当时的内容为准，之后修改的内容没有提交。请在“我的诉求”里查看编号和进度。',
  subscribeTitle: '接收办理进度提醒',
  subscribeContent: '受理、办结和请您评价时，通过微信提醒您。',
}

function photoList(draft) {
  return draft.photos.map(path => ({ path, uploaded: draft.uploaded.indexOf(path) >= 0 }))
}

/** 选位置、选照片失败时给居民看的话；取消时为 ''。 */
function refusal(err, what) {
  const why = privacy.reason(err)
  if (why === 'cancel') return ''
  const words = {
    location: { denied: TEXT.locationDenied, system: TEXT.locationSystem, privacy: TEXT.locationPrivacy },
    camera: { denied: TEXT.cameraDenied, system: TEXT.cameraSystem, privacy: TEXT.cameraPrivacy },
  }[what]
  return words[why] || (what === 'location' ? TEXT.locationFailed : TEXT.photoFailed)
}

Component({
  data: {
    elder: false,
    maxLength: MAX_LENGTH,
    maxPhotos: MAX_PHOTOS,
    description: '',
    count: 0,
    location: null,
    photos: [],
    public: false,
    locked: false, // 事件已建好、照片没传完：内容不能再改
    caseNumber: '',
    sending: false,
    error: '',
    // 居民拒绝了小程序的权限时显示“去设置”（wx.openSetting 只能由点按调起）
    settings: false,
    done: null,
  },

  methods: {
    onLoad() {
      this.restore(drafts.load())
    },

    onShow() {
      consent.ensure()
      return elder.apply(this)
    },

    /** 把草稿放到页面上。 */
    restore(draft) {
      this.draft = draft
      this.setData({
        description: draft.description,
        count: draft.description.length,
        location: draft.location,
        photos: photoList(draft),
        public: !!draft.public,
        locked: !!draft.case,
        caseNumber: draft.case ? draft.case.number : '',
        error: '',
      })
    },

    keep(changes) {
      Object.assign(this.draft, changes)
      drafts.save(this.draft)
    },

    onDescription(event) {
      const description = String(event.detail.value || '').slice(0, MAX_LENGTH)
      this.keep({ description })
      this.setData({ description, count: description.length, error: '' })
    },

    onPublic(event) {
      const value = !!event.detail.value
      this.keep({ public: value })
      this.setData({ public: value })
    },

    chooseLocation() {
      const options = {
        success: res => {
          const location = {
            name: res.name || '',
            address: res.address || '',
            latitude: res.latitude,
            longitude: res.longitude,
          }
          this.keep({ location })
          this.setData({ location, error: '', settings: false })
        },
        fail: err => this.refused(err, 'location'),
      }
      // 再次选择时从上次的位置开始
      const last = this.draft.location
      if (last) {
        options.latitude = last.latitude
        options.longitude = last.longitude
      }
      wx.chooseLocation(options)
    },

    choosePhotos() {
      const room = MAX_PHOTOS - this.draft.photos.length
      if (room <= 0) {
        wx.showToast({ title: TEXT.tooMany, icon: 'none' })
        return
      }
      wx.chooseMedia({
        count: room,
        mediaType: ['image'],
        sourceType: ['album', 'camera'],
        sizeType: ['compressed'],
        success: res => {
          const picked = (res.tempFiles || [])
            .filter(f => !f.fileType || f.fileType === 'image')
            .map(f => f.tempFilePath)
            .filter(p => p && this.draft.photos.indexOf(p) < 0)
          const photos = this.draft.photos.concat(picked).slice(0, MAX_PHOTOS)
          this.keep({ photos })
          this.setData({ photos: photoList(this.draft), error: '', settings: false })
        },
        fail: err => this.refused(err, 'camera'),
      })
    },

    /** 位置或照片没拿到：说清原因和怎样重新打开；报告照样可以提交。 */
    refused(err, what) {
      const message = refusal(err, what)
      if (!message) return
      this.setData({ error: message, settings: privacy.reason(err) === 'denied' })
    },

    openSettings() {
      this.setData({ settings: false, error: '' })
      wx.openSetting({})
    },

    removePhoto(event) {
      const index = Number(event.currentTarget.dataset.index)
      const path = this.draft.photos[index]
      // 已经传上去的照片在平台上了，不能从这里删
      if (path === undefined || this.draft.uploaded.indexOf(path) >= 0) return
      const photos = this.draft.photos.filter((p, i) => i !== index)
      this.keep({ photos })
      this.setData({ photos: photoList(this.draft) })
    },

    /** 先建事件（JSON），再逐张传照片；任何一步断网都保留全部内容，重试从断处接着来。 */
    submit() {
      if (this.data.sending) return Promise.resolve()
      const draft = this.draft
      const description = draft.description.trim()
      if (!draft.case) {
        if (!description) {
          this.setData({ error: TEXT.needDescription })
          return Promise.resolve()
        }
        if (description.length > MAX_LENGTH) {
          this.setData({ error: TEXT.tooLong })
          return Promise.resolve()
        }
      }
      this.setData({ sending: true, error: '' })
      return this.createCase(description)
        .then(kase => this.uploadPhotos(kase).then(() => kase))
        .then(kase => {
          drafts.clear()
          this.setData({
            sending: false,
            done: {
              number: kase.number,
              status: kase.status_label || '',
              handler: kase.handler || kase.assignee || TEXT.handlerPending,
            },
          })
          return this.askSubscription()
        })
        .catch(err => {
          if (err.status === 409 && !draft.case) return this.submittedEarlier()
          this.setData({
            sending: false,
            error: err.network ? TEXT.offline : err.message,
            locked: !!draft.case,
            caseNumber: draft.case ? draft.case.number : '',
            photos: photoList(draft),
          })
        })
    },

    /**
     * 409：同一个 external_id 已经建过事件、内容却不同。只会在回答丢失（事件其实建好了）
     * 之后居民又改了内容再提交时出现：不再建第二件，告诉居民去“我的诉求”里看。
     */
    submittedEarlier() {
      drafts.clear()
      this.setData({ sending: false, error: '', done: { earlier: true, note: TEXT.earlier } })
    },

    createCase(description) {
      const draft = this.draft
      if (draft.case) return Promise.resolve(draft.case)
      const body = {
        description,
        channel: 'resident',
        public: !!draft.public,
        external_id: draft.external_id,
      }
      const place = draft.location
      if (place) {
        body.location = { lon: place.longitude, lat: place.latitude, crs: 'gcj02' }
        const address = [place.address, place.name && place.address.indexOf(place.name) < 0 ? place.name : '']
          .filter(Boolean)
          .join(' ')
        if (address) body.address = address.slice(0, 200)
      }
      return api.request({ method: 'POST', path: '/cases', data: body }).then(kase => {
        const kept = {
          id: kase.id,
          number: kase.number,
          title: kase.title,
          status: kase.status,
          status_label: kase.status_label,
          handler: kase.handler || '',
          assignee: kase.assignee || '',
        }
        this.keep({ case: kept })
        return kept
      })
    },

    uploadPhotos(kase) {
      const draft = this.draft
      const waiting = draft.photos.filter(p => draft.uploaded.indexOf(p) < 0)
      return waiting.reduce(
        (chain, filePath) =>
          chain
            .then(() => api.upload({ path: `/cases/${kase.id}/attachments`, filePath, name: 'photo' }))
            .then(() => {
              this.keep({ uploaded: draft.uploaded.concat([filePath]) })
              this.setData({ photos: photoList(draft) })
            }),
        Promise.resolve()
      )
    },

    /**
     * 请居民订阅办理进度提醒。微信只允许在用户点按之后调起订阅界面，
     * 提交的回答到达时已不在那次点按里，所以先用一个对话框请居民点一下“接收”。
     * 平台没有配置任何模板时什么也不问。出错不影响“已提交”。
     */
    askSubscription() {
      return api
        .request({ path: '/me/wechat/templates' })
        .then(templates => {
          const ids = []
          SUBSCRIBE_EVENTS.forEach(event => {
            const id = templates && templates[event]
            if (id && ids.indexOf(id) < 0) ids.push(id)
          })
          if (!ids.length) return null
          return new Promise(resolve => {
            wx.showModal({
              title: TEXT.subscribeTitle,
              content: TEXT.subscribeContent,
              confirmText: '接收',
              cancelText: '不用了',
              success: choice => {
                if (!choice.confirm) return resolve(null)
                wx.requestSubscribeMessage({
                  tmplIds: ids,
                  success: answer => {
                    const body = Object.assign({}, answer)
                    delete body.errMsg
                    resolve(
                      api
                        .request({ method: 'POST', path: '/me/wechat/subscriptions', data: body })
                        .catch(() => null)
                    )
                  },
                  fail: () => resolve(null),
                })
              },
              fail: () => resolve(null),
            })
          })
        })
        .catch(() => null)
    },

    viewProgress() {
      wx.switchTab({ url: '/pages/cases/cases' })
    },

    startOver() {
      drafts.clear()
      this.restore(drafts.load())
      this.setData({ done: null })
    },
  },
})
