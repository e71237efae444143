/** Certificates for a devnet CHIA_ROOT: Chia's private CA and the daemon, full node and wallet pairs it signs. */
export { createCertificateAuthority, issueServerCertificate, issueServiceCertificate, type PemPair } from './certificate-authority';
export {
  DEVNET_TLS_SERVICES,
  type DevnetChiaRootTls,
  type DevnetTlsService,
  devnetCaPaths,
  devnetServicePaths,
  ensureDevnetChiaRoot,
  type PemFilePaths,
} from './devnet-chia-root';
