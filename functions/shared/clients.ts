/** The SDK clients of the pipeline steps, created once per container (module scope). */
import { S3Client } from '@aws-sdk/client-s3';

// The SDK's standard retry mode backs off on throttling before a step ever sees it.
export const s3 = new S3Client({});
