import { AwsError } from '../errors/aws-error.js';
import { escapeXml } from './restxml/xml.js';

/**
 * The one error boundary of each protocol: an AwsError (or anything else, as InternalError)
 * in that protocol's wire shape.
 */
export interface EncodedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function asAwsError(e: unknown): AwsError {
  if (e instanceof AwsError) return e;
  return new AwsError({ code: 'InternalError', status: 500, message: 'We encountered an internal error. Please try again.' });
}

function fieldsXml(fields: Record<string, string | number | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`)
    .join('');
}

/** S3: an unwrapped `<Error>` document. */
export function encodeS3Error(e: AwsError, requestId: string, hostId: string, resource?: string): EncodedError {
  const body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
    + `<Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message>`
    + fieldsXml(e.fields)
    + (resource !== undefined && !('Resource' in e.fields) && !('Key' in e.fields) && !('BucketName' in e.fields) ? `<Resource>${escapeXml(resource)}</Resource>` : '')
    + `<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`;
  return { status: e.status, headers: { 'Content-Type': 'application/xml', ...e.headers }, body };
}

/** REST-XML services with error wrapping (S3 Control). */
export function encodeWrappedXmlError(e: AwsError, requestId: string): EncodedError {
  const body = '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error>'
    + `<Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message>${fieldsXml(e.fields)}`
    + `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: e.status, headers: { 'Content-Type': 'application/xml', ...e.headers }, body };
}

/** AWS Query (IAM, STS). */
export function encodeQueryError(e: AwsError, requestId: string, xmlns: string): EncodedError {
  const type = e.fault === 'server' ? 'Receiver' : 'Sender';
  const body = `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type>`
    + `<Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message>${fieldsXml(e.fields)}`
    + `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: e.status, headers: { 'Content-Type': 'text/xml', ...e.headers }, body };
}

/** AWS JSON 1.1 (KMS, Organizations). */
export function encodeJsonError(e: AwsError): EncodedError {
  const body = JSON.stringify({ __type: e.code, message: e.message, ...e.fields });
  return { status: e.status, headers: { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': e.code, ...e.headers }, body };
}
