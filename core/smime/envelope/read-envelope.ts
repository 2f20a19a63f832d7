// Reads a received ContentInfo holding EnvelopedData (RFC 5652 §6.1) or AuthEnvelopedData
// (RFC 5083 §2.1) into plain fields. Only structure is checked here; algorithms are checked by
// the parts that use them. The ciphertext stays a view into the input (no copy) unless the
// sender split it into BER pieces, which are joined once.
import type * as asn1js from 'asn1js';
import {
  algorithmIdentifier,
  asOid,
  asSequence,
  asSet,
  asSmallInteger,
  encodingOf,
  isContextTag,
  malformed,
  octets,
  parseDer,
  taggedChildren,
  type AlgorithmIdentifier,
} from './der.js';
import { ID_AUTH_ENVELOPED_DATA, ID_ENVELOPED_DATA } from './oids.js';

export type EnvelopeStructure = 'enveloped-data' | 'auth-enveloped-data';

export interface ReceivedEnvelope {
  structure: EnvelopeStructure;
  recipientInfos: asn1js.BaseBlock[];
  contentType: string;
  algorithm: AlgorithmIdentifier;
  ciphertext: Uint8Array;
  /** AuthEnvelopedData only: the GCM tag and the additional data (RFC 5083 §2.2). */
  authenticated?: { mac: Uint8Array; additionalData?: Uint8Array };
}

export function readEnvelope(der: Uint8Array): ReceivedEnvelope {
  const [typeNode, wrapped] = asSequence(parseDer(der, 'the encrypted part'), 'ContentInfo');
  const contentType = asOid(typeNode, 'the content type');
  let structure: EnvelopeStructure;
  if (contentType === ID_ENVELOPED_DATA) structure = 'enveloped-data';
  else if (contentType === ID_AUTH_ENVELOPED_DATA) structure = 'auth-enveloped-data';
  else throw malformed(`it holds ${contentType}, not EnvelopedData or AuthEnvelopedData`);
  if (!isContextTag(wrapped, 0)) throw malformed('ContentInfo has no [0] content');
  const fields = asSequence(taggedChildren(wrapped, 'ContentInfo content')[0], 'the envelope');

  asSmallInteger(fields[0], 'the envelope version');
  let at = isContextTag(fields[1], 0) ? 2 : 1; // originatorInfo [0] IMPLICIT OPTIONAL
  const recipientInfos = asSet(fields[at++], 'RecipientInfos');
  if (recipientInfos.length === 0) throw malformed('it has no recipients');
  const [innerType, algorithmNode, encryptedContent] = asSequence(fields[at++], 'EncryptedContentInfo');
  if (!isContextTag(encryptedContent, 0)) {
    throw malformed('the encrypted content is missing (detached content is not supported)');
  }
  const envelope: ReceivedEnvelope = {
    structure,
    recipientInfos,
    contentType: asOid(innerType, 'the encrypted content type'),
    algorithm: algorithmIdentifier(algorithmNode, 'the content encryption algorithm'),
    ciphertext: octets(encryptedContent, 'the encrypted content'),
  };
  if (structure === 'auth-enveloped-data') {
    let additionalData: Uint8Array | undefined;
    if (isContextTag(fields[at], 1)) {
      // RFC 5083 §2.2: the AAD is the DER of authAttrs with the SET OF tag, not the [1] tag.
      additionalData = encodingOf(fields[at++]!);
      additionalData[0] = 0x31;
    }
    envelope.authenticated = { mac: octets(fields[at], 'the authentication tag (mac)'), additionalData };
  }
  return envelope;
}
