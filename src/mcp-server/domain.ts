import { Fn, Op, ref, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { Apigatewayv2ApiMapping } from "@cdktf/provider-aws/lib/apigatewayv2-api-mapping/index.js";
import { Apigatewayv2DomainName } from "@cdktf/provider-aws/lib/apigatewayv2-domain-name/index.js";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record/index.js";
import {
  address,
  and,
  countIf,
  firstInstanceAttr,
  ifElse,
  isNotNull,
  isNull,
  isToken,
  local,
  not,
  stableName,
  type Bool,
} from "../lib/expr.js";
import { defined } from "../lib/defined.js";

/** TLS policy of the API Gateway custom domain: TLS 1.2 only (API Gateway guide, http-api-custom-domain-names). */
export const API_DOMAIN_SECURITY_POLICY = "TLS_1_2";

export interface McpCustomDomainProps {
  readonly domainName: string | undefined;
  readonly certificateArn: string | undefined;
  readonly route53ZoneId: string | undefined;
  /** CloudFront fronts the API (WAF): the domain is the distribution's alias. */
  readonly edgeEnabled: Bool;
  readonly apiId: string;
  readonly stageId: string;
  /** CloudFront's domain name and hosted zone id (null without WAF). */
  readonly distributionDomainName: string;
  readonly distributionZoneId: string;
  /** The provider's Region: the API domain's certificate must be there. */
  readonly region: string;
  readonly tags: Record<string, string>;
}

/**
 * The server's custom domain. With CloudFront (WAF) the distribution carries it (see McpEdge);
 * without, an API Gateway regional custom domain with security policy TLS_1_2 and an API mapping
 * of the `$default` stage. With a hosted zone, alias records point the name at whichever serves it.
 */
export class McpCustomDomain extends Construct {
  readonly enabled: Bool;
  /** The API Gateway domain; absent when literal props rule it out (a stack without a domain). */
  readonly apiDomain?: Apigatewayv2DomainName;

  constructor(scope: Construct, id: string, props: McpCustomDomainProps) {
    super(scope, id);
    // Both inputs or neither (a cross-input check says so); a half-set pair creates nothing.
    this.enabled = local(this, "custom_domain", and(isNotNull(props.domainName), isNotNull(props.certificateArn)));
    const onApi: Bool = local(this, "api_custom_domain", and(this.enabled, not(props.edgeEnabled)));

    // Literal props that rule a resource out create nothing (its required arguments would be unset).
    const exists = (when: Bool) => isToken(when) || when === true;
    if (exists(onApi)) {
      this.apiDomain = stableName(
        new Apigatewayv2DomainName(
          this,
          "api-domain",
          defined({
            count: countIf(onApi),
            domainName: props.domainName as string,
            domainNameConfiguration: {
              certificateArn: props.certificateArn as string,
              endpointType: "REGIONAL",
              securityPolicy: API_DOMAIN_SECURITY_POLICY,
            },
            lifecycle: isToken(props.certificateArn)
              ? {
                  precondition: [
                    {
                      condition: Fn.conditional(
                        isNull(props.certificateArn),
                        true,
                        Op.eq(Fn.element(Fn.split(":", props.certificateArn as string), 3), props.region),
                      ),
                      errorMessage:
                        "Without WAF, certificate_arn must be an ACM certificate in the function's Region: API Gateway regional domains use certificates from their own Region.",
                    },
                  ],
                }
              : undefined,
            tags: props.tags,
          }),
        ),
        "this",
      );
      stableName(
        new Apigatewayv2ApiMapping(this, "mapping", {
          count: countIf(onApi),
          apiId: props.apiId,
          domainName: firstInstanceAttr(this.apiDomain!, "id"),
          stage: props.stageId,
        }),
        "this",
      );
    }

    const withZone: Bool = local(this, "dns_records", and(this.enabled, isNotNull(props.route53ZoneId)));
    if (!exists(withZone)) return;
    const apiTarget = (attribute: string) =>
      this.apiDomain
        ? Token.asString(Fn.one(ref(`${address(this.apiDomain)}[*].domain_name_configuration[0].${attribute}`, TerraformStack.of(this))))
        : (undefined as unknown as string);
    const target = {
      name: ifElse(props.edgeEnabled, props.distributionDomainName, apiTarget("target_domain_name")),
      zoneId: ifElse(props.edgeEnabled, props.distributionZoneId, apiTarget("hosted_zone_id")),
    };
    const record = (rid: string, type: string, when: Bool) =>
      stableName(
        new Route53Record(this, rid, {
          count: countIf(when),
          zoneId: props.route53ZoneId as string,
          name: props.domainName as string,
          type,
          alias: { name: target.name, zoneId: target.zoneId, evaluateTargetHealth: false },
        }),
        rid,
      );
    record("a", "A", withZone);
    // API Gateway regional domains answer over IPv4; CloudFront over both.
    record("aaaa", "AAAA", local(this, "dns_ipv6", and(withZone, props.edgeEnabled)));
  }
}
