/**
 * The generated tests/validations.tftest.hcl of every published module: each variable validation
 * and cross-input precondition rejects each of its known-bad values under real Terraform.
 */
import { describeModuleSuite } from "./module-suite.js";

describeModuleSuite("validations", (file) => file === "validations.tftest.hcl");
