// SPDX-License-Identifier: GPL-2.0-only
/*
 * HTTP GET for kernel.org downloads (releases.json, source tarballs), with
 * libcurl.  Proxies come from the usual http_proxy / https_proxy / no_proxy
 * variables (libcurl reads them).  Two failure modes matter to users and
 * get their own words: a non-2xx status ("HTTP 404"), and an HTML page
 * served with 200 where a tarball was expected (CDN error pages do that).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "ktstr/kernel.h"

#define MEM_MAX (64u << 20)   /* releases.json is ~10 KB; cap in-memory bodies */

void ktstr_kernel_org_url(char *buf, size_t len)
{
	const char *env = getenv("KTSTR_KERNEL_ORG_URL");
	size_t n;

	snprintf(buf, len, "%s", env && *env ? env : KTSTR_KERNEL_ORG_URL_DEFAULT);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '/')
		buf[--n] = '\0';
}

struct sink {
	FILE *f;                 /* file download, or NULL */
	char *mem;               /* in-memory body */
	size_t len, cap;
	int reject_html;
	int html;                /* the answer is HTML: stop and say so */
	int too_big;
	int progress;
	size_t reported_mb;
	int checked;             /* content type / first bytes looked at */
	CURL *curl;
};

static int looks_html(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++, n--;
	return (n >= 5 && !strncasecmp(p, "<html", 5)) || (n >= 9 && !strncasecmp(p, "<!doctype", 9));
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;

	if (!s->checked && s->reject_html) {
		char *ct = NULL;
		long code = 0;

		s->checked = 1;
		curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_getinfo(s->curl, CURLINFO_CONTENT_TYPE, &ct);
		/* An error status is reported as such, not as HTML. */
		if (code < 300 && ((ct && strstr(ct, "text/html")) || looks_html(ptr, n))) {
			s->html = 1;
			return 0;   /* aborts the transfer: CURLE_WRITE_ERROR */
		}
	}
	if (s->f) {
		if (fwrite(ptr, 1, n, s->f) != n)
			return 0;
	} else {
		if (s->len + n + 1 > MEM_MAX) {
			s->too_big = 1;
			return 0;
		}
		if (s->len + n + 1 > s->cap) {
			size_t cap = s->cap ? s->cap : 16384;
			char *m;

			while (cap < s->len + n + 1)
				cap *= 2;
			m = realloc(s->mem, cap);
			if (!m)
				return 0;
			s->mem = m;
			s->cap = cap;
		}
		memcpy(s->mem + s->len, ptr, n);
	}
	s->len += n;
	if (s->progress && s->len / (16u << 20) > s->reported_mb) {
		s->reported_mb = s->len / (16u << 20);
		fprintf(stderr, "ktstr: downloaded %zu MB\n", s->len >> 20);
	}
	return n;
}

int ktstr_http_get(const char *url, const char *path, char **body, size_t *body_len,
		   const struct ktstr_http_opts *o, struct ktstr_err *err)
{
	struct ktstr_http_opts def = { 0 };
	const char *verb;
	char cerr[CURL_ERROR_SIZE] = "";
	struct sink s = { 0 };
	CURLcode cc;
	long code = 0;
	CURL *c;
	int rc = 0;

	if (!o)
		o = &def;
	verb = o->verb ? o->verb : "download";
	if (body)
		*body = NULL;
	if (body_len)
		*body_len = 0;
	if (path) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

		if (fd < 0 || !(s.f = fdopen(fd, "w"))) {
			rc = ktstr_err_set(err, -errno, "cannot create %s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			return rc;
		}
	}
	c = curl_easy_init();
	if (!c) {
		rc = ktstr_err_set(err, -ENOMEM, "%s %s: cannot initialise libcurl", verb, url);
		goto out;
	}
	s.curl = c;
	s.reject_html = o->reject_html;
	s.progress = o->progress;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	/* A stalled transfer (< 1 KB/s for 60 s) fails instead of hanging CI. */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	if (o->timeout_s > 0)
		curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout_s);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ktstr");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (s.html) {
		rc = ktstr_err_set(err, -EPROTO,
			"download %s: server returned HTML instead of tarball (URL may be invalid); "
			"check the version exists in %s/releases.json", url,
			getenv("KTSTR_KERNEL_ORG_URL") && *getenv("KTSTR_KERNEL_ORG_URL")
				? getenv("KTSTR_KERNEL_ORG_URL") : KTSTR_KERNEL_ORG_URL_DEFAULT);
	} else if (s.too_big) {
		rc = ktstr_err_set(err, -EFBIG, "%s %s: answer larger than %u MB", verb, url,
				   MEM_MAX >> 20);
	} else if (cc != CURLE_OK) {
		rc = ktstr_err_set(err, -EIO,
			"%s %s: %s. Check network access (proxies: https_proxy / no_proxy) "
			"or point KTSTR_KERNEL_ORG_URL at a mirror", verb, url,
			cerr[0] ? cerr : curl_easy_strerror(cc));
	} else if (code < 200 || code >= 300) {
		rc = ktstr_err_set(err, -EIO, "%s %s: HTTP %ld", verb, url, code);
	}
out:
	if (c)
		curl_easy_cleanup(c);
	if (s.f && fclose(s.f) && !rc)
		rc = ktstr_err_set(err, -errno, "cannot write %s: %s", path, strerror(errno));
	if (rc) {
		if (path)
			unlink(path);
		free(s.mem);
		return rc;
	}
	if (!path) {
		if (!s.mem && !(s.mem = calloc(1, 1)))
			return ktstr_err_set(err, -ENOMEM, "out of memory downloading %s", url);
		s.mem[s.len] = '\0';
		if (body)
			*body = s.mem;
		else
			free(s.mem);
		if (body_len)
			*body_len = s.len;
	}
	return 0;
}
