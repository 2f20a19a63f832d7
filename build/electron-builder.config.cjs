// electron-builder reads this file (`electron-builder --config build/electron-builder.config.cjs`).
// The settings and why they are so: installer-settings.cjs.
'use strict';
module.exports = require('./installer-settings.cjs').configuration(process.env);
