// The site table (helper/onrecord/sites.json) as the tests read it: straight from the helper's file, so
// that a test driven by it covers every site the helper knows, whatever the extension's copy says.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const TABLE_FILE = path.resolve(__dirname, '..', '..', '..', 'helper', 'onrecord', 'sites.json');

function siteTable() {
  return JSON.parse(fs.readFileSync(TABLE_FILE, 'utf8')).sites;
}

function adapterSites() {
  return siteTable().filter((s) => s.adapter);
}

module.exports = { TABLE_FILE, siteTable, adapterSites };
