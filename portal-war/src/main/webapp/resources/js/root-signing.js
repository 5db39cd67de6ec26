'use strict';
// Signs a root or top-level targets proposal in the officer's browser (app/root-ceremony.xhtml, app/targets-ceremony.xhtml): the private key, read from a file or
// pasted, is imported into WebCrypto as a non-extractable key and signs the proposal's canonical bytes; only the
// key id and the signature are put into the upload form. The key fields are outside every form and have no name,
// and are cleared after signing. Served as a file: the portal's CSP allows no inline script.
(function () {
  const signer = document.getElementById('signer');
  if (!signer) return;
  const status = document.getElementById('signStatus');

  function bytesOfBase64(b64) {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function pkcs8(pem) {
    const m = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(pem);
    if (!m) throw new Error('not an unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)');
    return bytesOfBase64(m[1].replace(/\s+/g, ''));
  }

  // One DER INTEGER from an unsigned big-endian number: no leading zeros, one 0x00 when the top bit is set.
  function derInteger(bytes) {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    let v = Array.from(bytes.slice(i));
    if (v[0] & 0x80) v = [0].concat(v);
    return [0x02, v.length].concat(v);
  }

  // WebCrypto's ECDSA signature is r || s (32 bytes each); TUF's ecdsa-sha2-nistp256 signature is
  // DER SEQUENCE { INTEGER r, INTEGER s } (what securesystemslib, tuf-js and tuf-core verify).
  function derOfRaw(raw) {
    const half = raw.length / 2;
    const body = derInteger(raw.slice(0, half)).concat(derInteger(raw.slice(half)));
    return new Uint8Array([0x30, body.length].concat(body));
  }

  async function importKey(der) {
    try {
      return { key: await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']),
        params: { name: 'Ed25519' }, ecdsa: false };
    } catch (e) {
      // not an ed25519 key; try P-256
    }
    try {
      return { key: await crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']),
        params: { name: 'ECDSA', hash: 'SHA-256' }, ecdsa: true };
    } catch (e) {
      throw new Error('the key is neither an ed25519 nor an ECDSA P-256 PKCS#8 private key');
    }
  }

  async function keyText() {
    const file = document.getElementById('keyFile');
    if (file.files && file.files.length > 0) return await file.files[0].text();
    return document.getElementById('keyPem').value;
  }

  function forget() {
    document.getElementById('keyPem').value = '';
    document.getElementById('keyFile').value = '';
  }

  async function sign() {
    status.textContent = 'signing…';
    try {
      const der = pkcs8(await keyText());
      const imported = await importKey(der);
      der.fill(0);
      const data = bytesOfBase64(signer.dataset.canonical);
      let sig = new Uint8Array(await crypto.subtle.sign(imported.params, imported.key, data));
      if (imported.ecdsa) sig = derOfRaw(sig);
      forget();
      document.getElementById('uploadForm:keyid').value = document.getElementById('signKeyId').value;
      document.getElementById('uploadForm:sig').value = hex(sig);
      status.textContent = 'signed; uploading the signature';
      document.getElementById('uploadForm:upload').click();
    } catch (e) {
      forget();
      status.textContent = 'not signed: ' + e.message;
    }
  }

  document.getElementById('signInBrowser').addEventListener('click', () => { sign(); });
})();
