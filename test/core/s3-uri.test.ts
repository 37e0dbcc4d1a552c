/** S3 locations as users write them. */
import { parseS3Uri } from '../../lib/core/s3-uri';

describe('parseS3Uri', () => {
  it('reads s3://bucket/prefix, and refuses what is not one', () => {
    expect(parseS3Uri('s3://alb-logs/AWSLogs/123/')).toEqual({ bucket: 'alb-logs', prefix: 'AWSLogs/123/' });
    expect(parseS3Uri('s3://alb-logs')).toEqual({ bucket: 'alb-logs', prefix: '' });
    expect(() => parseS3Uri('s3://Alb_Logs/x')).toThrow('s3://Alb_Logs/x is not an S3 location; write s3://bucket/prefix');
  });
});
