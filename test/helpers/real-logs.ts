/** The real public logs in shared/data/real, and what their SOURCE.md says about them. */
import path from 'node:path';

export const REAL_LOGS = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'real');

/** netnea's extended Apache LogFormat (netnea-cms-2016 and netnea-webmail-2015, SOURCE.md): `%D` is 14 fields past the agent. */
export const NETNEA_LAYOUT =
  '%h %{GEOIP_COUNTRY_CODE}e %u [%{%Y-%m-%d %H:%M:%S}t.%{usec_frac}t] "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %v %A %p %R %{BALANCER_WORKER_ROUTE}e %X "%{cookie}n" %{UNIQUE_ID}e %{SSL_PROTOCOL}x %{SSL_CIPHER}x %I %O %{ratio}n%% %D %{ModSecTimeIn}e %{ApplicationTime}e %{ModSecTimeOut}e %{ModSecAnomalyScoreIn}e %{ModSecAnomalyScoreOut}e';
