// electron-builder msiProjectCreated hook: adds a public KMURL property to the MSI, so IT can run
//   msiexec /i Sealmail.msi /qn KMURL=https://km.example.org:8443
// The value is written where Group Policy puts Sealmail's settings,
// HKLM\SOFTWARE\Policies\Sealmail\KmUrl, which the policy loader reads as a locked KM URL
// (the convention Windows admins know from Outlook's and Firefox's policies).
'use strict';
const { readFile, writeFile } = require('node:fs/promises');

const kmUrlComponent = `
    <Property Id="KMURL" Secure="yes" />
    <DirectoryRef Id="TARGETDIR">
      <Component Id="SealmailKmUrlPolicy" Guid="3f7d9a6e-2c1b-4c7e-9a54-0d6b8e2f1a37" Win64="yes">
        <Condition>KMURL</Condition>
        <RegistryValue Root="HKLM" Key="SOFTWARE\\Policies\\Sealmail" Name="KmUrl" Type="string"
                       Value="[KMURL]" KeyPath="yes" />
      </Component>
    </DirectoryRef>
    <Feature Id="SealmailPolicyFeature" Level="1" Absent="disallow">
      <ComponentRef Id="SealmailKmUrlPolicy" />
    </Feature>`;

/** Inserts the property and component before the closing </Product>; idempotent. */
function withKmUrlProperty(wxs) {
  if (wxs.includes('Id="KMURL"')) return wxs;
  const at = wxs.lastIndexOf('</Product>');
  if (at < 0) throw new Error('msi-project-created: project.wxs has no </Product> element');
  return `${wxs.slice(0, at)}${kmUrlComponent}\n  ${wxs.slice(at)}`;
}

async function msiProjectCreated(projectFile) {
  await writeFile(projectFile, withKmUrlProperty(await readFile(projectFile, 'utf8')));
}

module.exports = msiProjectCreated;
module.exports.default = msiProjectCreated;
module.exports.withKmUrlProperty = withKmUrlProperty;
