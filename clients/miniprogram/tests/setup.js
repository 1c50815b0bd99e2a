// miniprogram-simulate needs a DOM (testEnvironment: jsdom) and a `wx` global; the stub is put
// on `wx` again by every boot() in tests/helpers.js.
global.wx = global.wx || {}
