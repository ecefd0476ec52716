import { describe, expect, it } from "vitest";
import { cidrInfo, parseArn, type CidrInfo, type ParsedArn } from "../../container/src/tools/index.js";

function okArn(input: string): ParsedArn {
  const result = parseArn(input);
  if (!result.ok) throw new Error(`expected ${input} to parse: ${result.error}`);
  return result.value;
}
function badArn(input: string): string {
  const result = parseArn(input);
  if (result.ok) throw new Error(`expected ${input} to be rejected`);
  return result.error;
}
function okCidr(cidr: string, ip?: string): CidrInfo {
  const result = cidrInfo(cidr, ip);
  if (!result.ok) throw new Error(`expected ${cidr} to parse: ${result.error}`);
  return result.value;
}
function badCidr(cidr: string, ip?: string): string {
  const result = cidrInfo(cidr, ip);
  if (result.ok) throw new Error(`expected ${cidr} to be rejected`);
  return result.error;
}

describe("parseArn", () => {
  it("splits resource-type/resource-id", () => {
    expect(okArn("arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob")).toEqual({
      arn: "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
      partition: "aws",
      known_partition: true,
      service: "iam",
      region: null,
      account_id: "123456789012",
      resource: "user/division_abc/subdivision_xyz/Bob",
      resource_type: "user",
      resource_id: "division_abc/subdivision_xyz/Bob",
      resource_delimiter: "/",
    });
  });

  it("keeps colons inside the resource (type:id with a qualifier)", () => {
    const arn = okArn("arn:aws:lambda:us-east-1:123456789012:function:my-fn:PROD");
    expect(arn.resource).toBe("function:my-fn:PROD");
    expect(arn.resource_type).toBe("function");
    expect(arn.resource_id).toBe("my-fn:PROD");
    expect(arn.resource_delimiter).toBe(":");
    const logs = okArn("arn:aws:logs:us-west-2:123456789012:log-group:/aws/lambda/fn:*");
    expect(logs.resource_type).toBe("log-group");
    expect(logs.resource_id).toBe("/aws/lambda/fn:*");
  });

  it("handles a plain resource id without a type", () => {
    const arn = okArn("arn:aws:sns:us-east-1:123456789012:my_topic");
    expect(arn.resource_type).toBeNull();
    expect(arn.resource_id).toBe("my_topic");
    expect(arn.resource_delimiter).toBeNull();
  });

  it("handles S3 bucket and object ARNs with empty region and account", () => {
    const bucket = okArn("arn:aws:s3:::my-bucket");
    expect(bucket).toMatchObject({ region: null, account_id: null, resource_type: null, s3_bucket: "my-bucket" });
    expect(bucket.s3_key).toBeUndefined();
    const object = okArn("arn:aws:s3:::my-bucket/path/to/key.txt");
    expect(object).toMatchObject({ s3_bucket: "my-bucket", s3_key: "path/to/key.txt", resource_id: "my-bucket/path/to/key.txt" });
    // An S3 access point has region and account, so it is type/id.
    expect(okArn("arn:aws:s3:us-west-2:123456789012:accesspoint/test")).toMatchObject({
      resource_type: "accesspoint",
      resource_id: "test",
    });
  });

  it("accepts other partitions and the 'aws' account of managed policies", () => {
    expect(okArn("arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-0abc")).toMatchObject({ partition: "aws-cn", known_partition: true });
    expect(okArn("arn:aws-us-gov:s3:::b").partition).toBe("aws-us-gov");
    expect(okArn("arn:aws-iso-b:ec2:us-isob-east-1:123456789012:vpc/vpc-1").region).toBe("us-isob-east-1");
    expect(okArn("arn:aws:iam::aws:policy/AdministratorAccess")).toMatchObject({ account_id: "aws", resource_type: "policy" });
    expect(okArn("arn:aws-future:ec2:xx-new-1:123456789012:vpc/vpc-1").known_partition).toBe(false);
  });

  it("trims surrounding whitespace", () => {
    expect(okArn("  arn:aws:sqs:us-east-1:123456789012:queue1\n").arn).toBe("arn:aws:sqs:us-east-1:123456789012:queue1");
  });

  it("rejects invalid ARNs with a message naming the problem", () => {
    expect(badArn("not-an-arn")).toMatch(/6 colon-separated fields/);
    expect(badArn("arx:aws:s3:::bucket")).toMatch(/must start with "arn:"/);
    expect(badArn("arn:azure:s3:::bucket")).toMatch(/Invalid partition "azure"/);
    expect(badArn("arn:aws:S3:::bucket")).toMatch(/Invalid service "S3"/);
    expect(badArn("arn:aws:ec2:useast1:123456789012:vpc/vpc-1")).toMatch(/Invalid region "useast1"/);
    expect(badArn("arn:aws:ec2:us-east-1:12345:vpc/vpc-1")).toMatch(/Invalid account id "12345"/);
    expect(badArn("arn:aws:sns:us-east-1:123456789012:")).toMatch(/resource part .* is empty/);
  });
});

describe("cidrInfo", () => {
  it("describes a /24 with the AWS view", () => {
    expect(okCidr("10.0.1.0/24")).toEqual({
      cidr: "10.0.1.0/24",
      host_bits_set: false,
      prefix_length: 24,
      network_address: "10.0.1.0",
      broadcast_address: "10.0.1.255",
      netmask: "255.255.255.0",
      wildcard_mask: "0.0.0.255",
      first_usable_host: "10.0.1.1",
      last_usable_host: "10.0.1.254",
      total_addresses: 256,
      usable_hosts: 254,
      aws_subnet_size_valid: true,
      aws_usable_hosts: 251,
      aws_first_usable_host: "10.0.1.4",
      aws_reserved_addresses: ["10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.255"],
      rfc1918_private: true,
    });
  });

  it("handles /32 as a single host", () => {
    expect(okCidr("203.0.113.7/32")).toMatchObject({
      network_address: "203.0.113.7",
      broadcast_address: null,
      netmask: "255.255.255.255",
      first_usable_host: "203.0.113.7",
      last_usable_host: "203.0.113.7",
      total_addresses: 1,
      usable_hosts: 1,
      aws_subnet_size_valid: false,
      aws_usable_hosts: null,
      rfc1918_private: false,
    });
  });

  it("handles /31 per RFC 3021 (both addresses usable)", () => {
    expect(okCidr("192.0.2.4/31")).toMatchObject({
      broadcast_address: null,
      first_usable_host: "192.0.2.4",
      last_usable_host: "192.0.2.5",
      total_addresses: 2,
      usable_hosts: 2,
    });
  });

  it("handles /0 (the whole IPv4 space) without 32-bit overflow", () => {
    expect(okCidr("0.0.0.0/0")).toMatchObject({
      network_address: "0.0.0.0",
      broadcast_address: "255.255.255.255",
      netmask: "0.0.0.0",
      wildcard_mask: "255.255.255.255",
      last_usable_host: "255.255.255.254",
      total_addresses: 4294967296,
      usable_hosts: 4294967294,
      aws_subnet_size_valid: false,
      rfc1918_private: false,
    });
  });

  it("normalizes host bits and flags them", () => {
    expect(okCidr("172.31.200.17/20")).toMatchObject({
      cidr: "172.31.192.0/20",
      host_bits_set: true,
      broadcast_address: "172.31.207.255",
      aws_usable_hosts: 4091,
      rfc1918_private: true,
    });
  });

  it("knows the AWS subnet size limits /16 and /28", () => {
    expect(okCidr("10.0.0.0/16").aws_subnet_size_valid).toBe(true);
    expect(okCidr("10.0.0.0/15").aws_subnet_size_valid).toBe(false);
    expect(okCidr("10.0.0.0/28").aws_usable_hosts).toBe(11);
    expect(okCidr("10.0.0.0/29").aws_usable_hosts).toBeNull();
  });

  it("tests membership of an IP", () => {
    expect(okCidr("10.0.0.0/8", "10.255.255.255").ip_in_block).toBe(true);
    expect(okCidr("10.0.0.0/8", "11.0.0.0").ip_in_block).toBe(false);
    expect(okCidr("0.0.0.0/0", "8.8.8.8").ip_in_block).toBe(true);
    expect(okCidr("172.16.0.0/12").rfc1918_private).toBe(true);
    expect(okCidr("172.0.0.0/8").rfc1918_private).toBe(false);
  });

  it("rejects invalid input with a clear message", () => {
    expect(badCidr("10.0.0.0")).toMatch(/expected an IPv4 address and prefix length/);
    expect(badCidr("10.0.0.0/33")).toMatch(/prefix length must be 0-32/);
    expect(badCidr("256.0.0.0/8")).toMatch(/"256.0.0.0" is not an IPv4 address/);
    expect(badCidr("10.0.0/8")).toMatch(/not an IPv4 address/);
    expect(badCidr("2001:db8::/32")).toMatch(/IPv6/);
    expect(badCidr("10.0.0.0/8", "10.0.0.300")).toMatch(/Invalid ip/);
  });
});
