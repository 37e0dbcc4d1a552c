/**
 * Format detection from a file's first lines; here the CSV header, which decides whether --columns
 * maps names or positions, and what is not an access log though it has commas.
 */
import { detectFormat } from '../../../lib/core/ingest/detect-format';

describe('detectFormat: CSV headers', () => {
  test('a header of canonical names', () => {
    expect(detectFormat(['timestamp,path,status', '2024-01-01T00:00:00Z,/a,200'])).toEqual({
      format: 'csv', csvHeader: ['timestamp', 'path', 'status'], csvColumns: 3,
    });
  });

  test('a header of the file\'s own names: no number in it, numbers in the rows under it', () => {
    expect(detectFormat(['IP,When,Req,Code', '1.2.3.4,2024-01-01T00:00:00Z,GET / HTTP/1.1,200'])).toMatchObject({
      format: 'csv', csvHeader: ['ip', 'when', 'req', 'code'],
    });
  });

  test('no header: the first line already holds data', () => {
    const sniff = detectFormat(['10.128.2.1,[29/Nov/2017:06:58:55,GET /login.php HTTP/1.1,200', '10.128.2.1,[29/Nov/2017:06:59:02,POST /process.php HTTP/1.1,302']);
    expect(sniff).toEqual({ format: 'csv', csvColumns: 4 });
  });

  test('rows of words only are not mistaken for a header', () => {
    expect(detectFormat(['GET,/home,ok', 'POST,/login,ok'])).toEqual({ format: 'csv', csvColumns: 3 });
  });
});

describe('detectFormat: lines with commas that are not CSV', () => {
  test('nginx and Apache error logs are error logs, not CSV', () => {
    const nginx = [
      '2026/11/28 09:15:02 [error] 1234#0: *5 open() "/usr/share/nginx/html/x" failed (2: No such file or directory), client: 192.0.2.1, server: localhost',
      '2026/11/28 09:15:09 [notice] 1234#0: signal process started',
    ];
    expect(detectFormat(nginx)).toEqual({ format: undefined, errorLog: true });
    const apache24 = ['[Sat Nov 28 09:15:02.123456 2026] [core:error] [pid 35708:tid 4328636416] [client 192.0.2.1:5000] AH00128: File does not exist, says it'];
    const apache22 = ['[Sat Nov  7 09:15:02 2026] [error] [client 192.0.2.1] client denied by server configuration, says it'];
    expect(detectFormat(apache24)).toEqual({ format: undefined, errorLog: true });
    expect(detectFormat(apache22)).toEqual({ format: undefined, errorLog: true });
  });

  test('prose is not CSV: its lines do not have the same number of cells', () => {
    expect(detectFormat(['Dear diary, today I wrote no logs.', 'None at all, not one, not even a line, nothing.', 'Tomorrow maybe.'])).toEqual({ format: undefined });
    // While a CSV's rows, quoted commas and all, do
    expect(detectFormat(['/a,200,"Mozilla/5.0 (X11, Linux)"', '/b,404,curl/8'])).toEqual({ format: 'csv', csvColumns: 3 });
  });
});

describe('detectFormat: proxies', () => {
  const start = '[2026-11-02T10:00:00.123Z] "GET /p/1 HTTP/1.1" 200';
  test('Envoy\'s and Istio\'s default layouts are told apart, and read as combined with their layout', () => {
    const envoy = `${start} - 0 512 25 23 "198.51.100.7" "curl/8.0" "0f6e-1" "shop.example.com" "10.244.1.5:8080"`;
    const istio = `${start} - via_upstream - "-" 0 512 25 23 "-" "curl/8.0" "0f6e-1" "shop.example.com" "10.244.1.5:8080" outbound|8080||shop 10.244.2.9:41234 10.244.2.9:8080 198.51.100.7:40001 - default`;
    expect(detectFormat([envoy, envoy])).toEqual({ format: 'combined', layout: 'envoy' });
    expect(detectFormat([istio, istio])).toEqual({ format: 'combined', layout: 'istio' });
  });

  test('HAProxy\'s httplog, as syslog stores it', () => {
    const line = 'Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"';
    expect(detectFormat([line, line])).toEqual({ format: 'combined', layout: 'haproxy', carrier: 'line-header' });
  });

  test('Envoy lines in a layout of their own are not guessed at: --log-format reads them', () => {
    expect(detectFormat([`${start} 25 "curl/8.0"`, `${start} 31 "curl/8.0"`])).toEqual({ format: undefined, proxyLayout: true });
  });
});

describe('detectFormat: lines shipped through syslog', () => {
  const combined = '192.0.2.1 - - [28/Nov/2026:09:15:02 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8"';
  test('the format is that of the line after the header, BSD or rsyslog\'s ISO stamp, with or without a priority', () => {
    expect(detectFormat([`Nov 28 09:15:02 web-1 nginx: ${combined}`, `Nov  8 09:15:03 web-1 nginx: ${combined}`])).toEqual({ format: 'combined', carrier: 'line-header' });
    expect(detectFormat([`<190>2026-11-28T09:15:02.123456+00:00 web-1 nginx[811]: ${combined}`])).toEqual({ format: 'combined', carrier: 'line-header' });
    expect(detectFormat([`Nov 28 09:15:02 web-1 nginx: {"time":"2026-11-28T09:15:02Z","path":"/"}`])).toMatchObject({ format: 'jsonl', carrier: 'line-header' });
  });

  test('lines as Kubernetes and CloudWatch carry them: kubectl logs --timestamps, the node\'s container log files, an export to S3', () => {
    expect(detectFormat([`2026-11-28T09:15:02.123456789Z ${combined}`])).toEqual({ format: 'combined', carrier: 'line-header' });
    expect(detectFormat([`2026-11-28T09:15:02.123456789Z stdout F ${combined}`])).toEqual({ format: 'combined', carrier: 'line-header' });
    expect(detectFormat([`2026-11-28T09:15:02.123Z {"requestTime":"28/Nov/2026:09:15:02 +0000","ip":"192.0.2.1"}`])).toMatchObject({ format: 'jsonl', carrier: 'line-header' });
  });

  test('lines in Docker\'s json-file records (docker-compose hosts) are the records\' logs', () => {
    const record = JSON.stringify({ log: `${combined}\n`, stream: 'stdout', time: '2026-11-28T09:15:02.123456789Z' });
    expect(detectFormat([record, record])).toEqual({ format: 'combined', carrier: 'docker-json' });
    // A JSON access log that happens to have a `log` key is not a Docker record.
    expect(detectFormat([JSON.stringify({ log: 'access', path: '/', status: 200 })])).toEqual({ format: 'jsonl' });
  });

  test('an error log through syslog is still an error log; a syslog of other programs is no access log', () => {
    expect(detectFormat(['Nov 28 09:15:02 web-1 nginx: 2026/11/28 09:15:02 [error] 1234#0: *5 open() failed, client: 192.0.2.1'])).toEqual({ format: undefined, errorLog: true });
    expect(detectFormat(['Nov 28 09:15:02 web-1 sshd[42]: Accepted publickey for ops from 192.0.2.1 port 50122 ssh2'])).toEqual({ format: undefined });
  });
});

describe('detectFormat: W3C extended logs', () => {
  const fields = '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';
  test('IIS\'s, space-separated, read as combined with the layout its #Fields make; CloudFront\'s, tab-separated, stay CloudFront', () => {
    const iis = ['#Software: Microsoft Internet Information Services 10.0', '#Version: 1.0', '#Date: 2026-11-02 10:00:00', fields,
      '2026-11-02 10:00:00 10.0.0.4 GET /default.aspx id=7 443 - 198.51.100.7 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 31'];
    expect(detectFormat(iis)).toEqual({ format: 'combined', w3cFields: fields.slice('#Fields: '.length).split(' ') });
    const cloudfront = ['#Version: 1.0', '#Fields: date time x-edge-location sc-bytes c-ip', '2026-11-02\t10:00:00\tLHR62-C2\t512\t198.51.100.7'];
    expect(detectFormat(cloudfront)).toMatchObject({ format: 'cloudfront' });
  });

  test('IIS fields without what sessions need are no format', () => {
    expect(detectFormat(['#Fields: date s-ip c-ip', '2026-11-02 10.0.0.4 198.51.100.7'])).toEqual({ format: undefined });
  });
});
