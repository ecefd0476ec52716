/**
 * Every published module under real Terraform: validate, the generated variable-validation runs
 * and the behaviour, cross-input and FedRAMP tests (modules/<name>/tests/*.tftest.hcl).
 */
import { describeModuleSuites } from "./module-suite.js";

describeModuleSuites();
