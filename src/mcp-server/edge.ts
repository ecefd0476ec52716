import { DataResource, Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution/index.js";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy/index.js";
import { CloudwatchLogDelivery } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery/index.js";
import { CloudwatchLogDeliverySource } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-source/index.js";
import { EDGE_REGION } from "../lib/edge-logs.js";
import { CLOUDFRONT_ACCESS_LOG_CHECK } from "./inputs.js";
import { HEADERS } from "../../container/src/contract/index.js";
import {
  and,
  countIf,
  firstInstanceAttr,
  ifElse,
  isNotNull,
  isNull,
  isToken,
  join,
  local,
  optionalAttr,
  stableName,
  type Bool,
} from "../lib/expr.js";
import { defined } from "../lib/defined.js";

/** Header CloudFront adds to every origin request; the function refuses requests without it. */
export const ORIGIN_VERIFY_HEADER = HEADERS.originVerify;
/** Managed cache policy `CachingDisabled` (CloudFront guide, using-managed-cache-policies). */
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
/**
 * Managed origin request policy `AllViewerExceptHostHeader`: every viewer header (Authorization,
 * Mcp-Session-Id, MCP-Protocol-Version, ...) but Host, which API Gateway needs to be its own
 * (CloudFront guide, using-managed-origin-request-policies).
 */
const ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
const ORIGIN_ID = "http-api";
/** `Strict-Transport-Security: max-age` at the edge: one year, seconds. */
export const HSTS_MAX_AGE_SECONDS = 31_536_000;
/** Viewer TLS policy with a custom certificate: TLS 1.2 or later only. */
export const VIEWER_MINIMUM_PROTOCOL = "TLSv1.2_2021";
/** The log type of a distribution's standard logs (v2) as a delivery source (CloudFront guide, standard-logging). */
export const CLOUDFRONT_ACCESS_LOG_TYPE = "ACCESS_LOGS";

export interface McpEdgeProps {
  readonly wafAclArn: string | undefined;
  /** Known-at-plan switch; unset means `wafAclArn != null`. */
  readonly enableWaf: Bool | undefined;
  readonly baseName: string;
  /** `https://<id>.execute-api.<region>.amazonaws.com`. */
  readonly apiEndpoint: string;
  /** Alternate domain name viewers use, with `certificateArn` (us-east-1). @default none */
  readonly domainName?: string | undefined;
  readonly certificateArn?: string | undefined;
  /** Known at plan: with the distribution, deliver its access logs. */
  readonly accessLogs: Bool;
  /** A CloudWatch Logs delivery destination in us-east-1 (the module's precondition requires it with `accessLogs`). */
  readonly accessLogDestinationArn: string | undefined;
  /** The function's Region: keeps the delivery source's name, unique in us-east-1, apart from other Regions' servers. */
  readonly region: string;
  readonly tags: Record<string, string>;
}

/**
 * WAF for an HTTP API (FedRAMP SC-7). WAFv2 cannot be associated with an HTTP API stage (API
 * Gateway guide, http-api-vs-rest), so with `wafAclArn` a CloudFront distribution carrying the
 * ACL fronts the API: no caching, every method, all viewer headers but Host forwarded, HTTPS
 * only. A random secret in {@link ORIGIN_VERIFY_HEADER} goes with every origin request, and the
 * function refuses requests without it, so the execute-api URL cannot bypass the ACL.
 *
 * With `accessLogs`, the distribution's standard logs (v2) go to `accessLogDestinationArn`
 * through a CloudWatch Logs delivery source and delivery (FedRAMP AU-2/AU-3), both in
 * {@link EDGE_REGION} whatever the provider's Region, since CloudFront log delivery is configured
 * there only (the resources' `region` argument, hashicorp/aws 6.0 and later). CloudFront logs no
 * cookies (cookie logging stays off) and has no Authorization field in standard logs.
 */
export class McpEdge extends Construct {
  readonly enabled: Bool;
  readonly distribution: CloudfrontDistribution;
  /** Absent when literal props turn the access logs off. */
  accessLogSource: CloudwatchLogDeliverySource | undefined;
  accessLogDelivery: CloudwatchLogDelivery | undefined;
  /** The origin-verify secret, `""` without WAF. Sensitive. */
  readonly originVerifySecret: string;

  constructor(scope: Construct, id: string, props: McpEdgeProps) {
    super(scope, id);
    this.enabled = local(this, "waf_enabled", ifElse(isNull(props.enableWaf), isNotNull(props.wafAclArn), props.enableWaf as Bool));
    const count = countIf(this.enabled);
    const hasDomain = local(this, "edge_custom_domain", and(isNotNull(props.domainName), isNotNull(props.certificateArn)));

    // Generated once and kept: ignore_changes stops uuid() from rotating it on every plan.
    const secret = new DataResource(this, "origin-verify", {
      count,
      input: Fn.sensitive(Fn.join("", [Fn.uuid(), Fn.uuid()])),
      lifecycle: { ignoreChanges: ["input"] },
    });
    stableName(secret, "origin_verify");
    const secretValue = firstInstanceAttr(secret, "output");

    // HSTS on every response (one year, subdomains), and nosniff (CloudFront guide,
    // understanding-response-headers-policies). `override`: the origin cannot weaken them.
    const headersPolicy = stableName(
      new CloudfrontResponseHeadersPolicy(this, "headers", {
        count,
        name: join(props.baseName, "-security-headers"),
        comment: `Security headers of the MCP server ${props.baseName}`,
        securityHeadersConfig: {
          strictTransportSecurity: {
            accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
            includeSubdomains: true,
            preload: false,
            override: true,
          },
          contentTypeOptions: { override: true },
        },
      }),
      "this",
    );

    this.distribution = stableName(
      new CloudfrontDistribution(
        this,
        "distribution",
        defined({
          count,
          enabled: true,
          comment: `MCP server ${props.baseName} behind AWS WAF`,
          httpVersion: "http2and3",
          isIpv6Enabled: true,
          priceClass: "PriceClass_100",
          webAclId: props.wafAclArn,
          origin: [
            {
              originId: ORIGIN_ID,
              domainName: Fn.trimprefix(props.apiEndpoint, "https://"),
              customOriginConfig: {
                httpPort: 80,
                httpsPort: 443,
                originProtocolPolicy: "https-only",
                originSslProtocols: ["TLSv1.2"],
              },
              customHeader: [{ name: ORIGIN_VERIFY_HEADER, value: secretValue }],
            },
          ],
          defaultCacheBehavior: {
            targetOriginId: ORIGIN_ID,
            viewerProtocolPolicy: "https-only",
            allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
            cachedMethods: ["GET", "HEAD"],
            cachePolicyId: CACHING_DISABLED,
            responseHeadersPolicyId: firstInstanceAttr(headersPolicy, "id"),
            originRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
            compress: false,
          },
          restrictions: { geoRestriction: { restrictionType: "none" } },
          aliases: ifElse<string[]>(hasDomain, [props.domainName as string], []),
          // The default *.cloudfront.net certificate lets viewers negotiate TLSv1; a custom
          // certificate sets the minimum: TLSv1.2_2021 (CloudFront guide, secure-connections-supported-viewer-protocols-ciphers).
          viewerCertificate: defined({
            cloudfrontDefaultCertificate: ifElse<boolean | undefined>(hasDomain, undefined, true),
            acmCertificateArn: ifElse(hasDomain, props.certificateArn, undefined),
            sslSupportMethod: ifElse(hasDomain, "sni-only", undefined),
            minimumProtocolVersion: ifElse(hasDomain, VIEWER_MINIMUM_PROTOCOL, undefined),
          }),
          tags: props.tags,
        }),
      ),
      "this",
    );
    this.originVerifySecret = ifElse(this.enabled, optionalAttr(secret, "output"), "");

    const accessLogsOn = local(this, "cloudfront_access_logs", and(this.enabled, props.accessLogs));
    // Literal props that turn the logs off (a stack without WAF) get no log resources at all.
    if (isToken(accessLogsOn) || accessLogsOn) this.deliverAccessLogs(props, countIf(accessLogsOn));
  }

  /** The delivery source for the distribution and its delivery to the destination, in us-east-1. */
  private deliverAccessLogs(props: McpEdgeProps, count: number): void {
    this.accessLogSource = stableName(
      new CloudwatchLogDeliverySource(this, "access-log-source", {
        count,
        region: EDGE_REGION,
        // Names are unique per account in us-east-1: the Region keeps two Regions' servers apart (55 characters at most).
        name: join(props.baseName, "-", props.region, "-cf"),
        logType: CLOUDFRONT_ACCESS_LOG_TYPE,
        resourceArn: firstInstanceAttr(this.distribution, "arn"),
        tags: props.tags,
      }),
      "cloudfront",
    );
    this.accessLogDelivery = stableName(
      new CloudwatchLogDelivery(
        this,
        "access-log-delivery",
        defined({
          count,
          region: EDGE_REGION,
          deliverySourceName: firstInstanceAttr(this.accessLogSource, "name"),
          deliveryDestinationArn: props.accessLogDestinationArn as string,
          tags: props.tags,
        }),
      ),
      "cloudfront",
    );
    // Checked on the delivery itself, before the provider sees its missing argument.
    const hasDestination = isNotNull(props.accessLogDestinationArn);
    if (isToken(hasDestination)) {
      this.accessLogDelivery.addOverride("lifecycle.precondition", [
        { condition: `\${${Token.asString(hasDestination)}}`, error_message: CLOUDFRONT_ACCESS_LOG_CHECK.errorMessage },
      ]);
    }
  }

  /** `<distribution domain>`, or null without WAF. */
  get domainName(): string {
    return optionalAttr(this.distribution, "domain_name");
  }
}
