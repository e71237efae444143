import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/**
 * A private certificate authority and the certificates it signs, made with node-forge so a devnet needs no
 * openssl binary. The names and lifetimes follow what `chia init` produces: a CA called "Chia CA" and service
 * certificates all issued for the fixed name "Chia" (alternative name `chia.net`), valid until 2100. Clients
 * therefore trust the CA but do not check the host name, exactly as with a real CHIA_ROOT.
 *
 * Keys are RSA 2048 with SHA-256 signatures, as Chia's. forge signs X.509 certificates with RSA only (its
 * ed25519 support does not reach certificates), and its key generation hands off to Node's native
 * `generateKeyPairSync` when it exists, so a pair takes tens of milliseconds rather than seconds.
 */

/** A certificate and its private key, both PEM. */
export interface PemPair {
  cert: string;
  key: string;
}

const RSA_BITS = 2048;
/** Chia's certificates expire on this day; a devnet root made today outlives any test run. */
const NOT_AFTER = new Date(Date.UTC(2100, 7, 2));
/** Backdated a day so a machine with a slightly slow clock does not see a certificate from the future. */
const BACKDATE_MS = 24 * 60 * 60 * 1000;

const ORGANIZATION = [
  { name: 'organizationName', value: 'Chia' },
  { name: 'organizationalUnitName', value: 'Organic Farming Division' },
];
const CA_SUBJECT = [{ name: 'commonName', value: 'Chia CA' }, ...ORGANIZATION];
const SERVICE_SUBJECT = [{ name: 'commonName', value: 'Chia' }, ...ORGANIZATION];
const SERVICE_DNS_NAME = 'chia.net';

export function createCertificateAuthority(now: Date = new Date()): PemPair {
  const keys = forge.pki.rsa.generateKeyPair({ bits: RSA_BITS, e: 0x10001 });
  const cert = newCertificate(keys.publicKey, now);
  cert.setSubject(CA_SUBJECT);
  cert.setIssuer(CA_SUBJECT);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** A certificate usable both as a TLS server and as a TLS client, signed by `authority`. */
export function issueServiceCertificate(authority: PemPair, now: Date = new Date()): PemPair {
  const caCert = forge.pki.certificateFromPem(authority.cert);
  const caKey = forge.pki.privateKeyFromPem(authority.key);
  const keys = forge.pki.rsa.generateKeyPair({ bits: RSA_BITS, e: 0x10001 });
  const cert = newCertificate(keys.publicKey, now);
  cert.setSubject(SERVICE_SUBJECT);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: SERVICE_DNS_NAME }] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

/**
 * A web server certificate for `names` (DNS names and IP addresses, e.g. localhost and 127.0.0.1), signed by
 * `authority`: what a pool serving farmers over https presents, for the devnet and tests. Unlike the Chia service
 * certificates above, clients check these names, as Chia's farmer checks the pool's.
 */
export function issueServerCertificate(authority: PemPair, names: readonly string[], now: Date = new Date()): PemPair {
  const caCert = forge.pki.certificateFromPem(authority.cert);
  const caKey = forge.pki.privateKeyFromPem(authority.key);
  const keys = forge.pki.rsa.generateKeyPair({ bits: RSA_BITS, e: 0x10001 });
  const cert = newCertificate(keys.publicKey, now);
  cert.setSubject([{ name: 'commonName', value: names[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  // Alternative name types: 2 is a DNS name, 7 an IP address (RFC 5280 GeneralName).
  const altNames = names.map((name) => (isIP(name) === 0 ? { type: 2, value: name } : { type: 7, ip: name }));
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

function newCertificate(publicKey: forge.pki.PublicKey, now: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerialNumber();
  cert.validity.notBefore = new Date(now.getTime() - BACKDATE_MS);
  cert.validity.notAfter = NOT_AFTER;
  return cert;
}

/**
 * 16 random bytes as a positive DER integer: the top bit is cleared (a set bit would make it negative) and
 * the first byte kept non-zero (a leading zero byte would not be minimal DER).
 */
function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}
