// Release platforms in krew's words (os linux|darwin|windows, arch amd64|arm64) and the names
// derived from them; shared by the build, the krew manifests and the release workflow.

export const platforms = [
  { os: 'linux', arch: 'amd64' },
  { os: 'linux', arch: 'arm64' },
  { os: 'darwin', arch: 'amd64' },
  { os: 'darwin', arch: 'arm64' },
  { os: 'windows', arch: 'amd64' },
  { os: 'windows', arch: 'arm64' },
];

const operatingSystems = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const architectures = { x64: 'amd64', arm64: 'arm64' };

export function localPlatform() {
  const os = operatingSystems[process.platform];
  const arch = architectures[process.arch];
  if (!os || !arch) throw new Error(`no release for ${process.platform}/${process.arch}`);
  return { os, arch };
}

export function archiveName(version, { os, arch }) {
  return `svc-trace-${version}-${os}-${arch}.${os === 'windows' ? 'zip' : 'tar.gz'}`;
}

export function executableNames(os) {
  const suffix = os === 'windows' ? '.exe' : '';
  return { trace: `kubectl-svc_trace${suffix}`, explain: `kubectl-svc_explain${suffix}` };
}
