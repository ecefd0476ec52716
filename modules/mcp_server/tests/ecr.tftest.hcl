# The optional ECR repository: KMS, immutable tags, scan on push, lifecycle, Lambda pull.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "off_by_default" {
  command = plan

  assert {
    condition     = length(aws_ecr_repository.this) == 0 && length(aws_ecr_lifecycle_policy.this) == 0 && length(aws_ecr_repository_policy.this) == 0
    error_message = "no repository by default"
  }
}

run "on" {
  command = apply

  variables {
    enable_ecr_repository = true
  }

  assert {
    condition     = aws_ecr_repository.this[0].image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.this[0].image_scanning_configuration[0].scan_on_push
    error_message = "immutable tags and scan on push by default"
  }
  assert {
    condition     = aws_ecr_repository.this[0].encryption_configuration[0].encryption_type == "KMS" && aws_ecr_repository.this[0].encryption_configuration[0].kms_key == var.kms_key_arn
    error_message = "the repository is encrypted with the module's key"
  }
  assert {
    condition     = [for r in jsondecode(aws_ecr_lifecycle_policy.this[0].policy).rules : r.selection.tagStatus] == ["untagged", "any"]
    error_message = "lifecycle: expire untagged, keep recent images"
  }
  assert {
    condition     = one(jsondecode(aws_ecr_repository_policy.this[0].policy).Statement).Principal.Service == "lambda.amazonaws.com" && toset(one(jsondecode(aws_ecr_repository_policy.this[0].policy).Statement).Action) == toset(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"])
    error_message = "Lambda may pull, nothing more"
  }
  assert {
    condition     = output.ecr_repository_url == "123456789012.dkr.ecr.us-east-1.amazonaws.com/mcp-tools-dev"
    error_message = "ecr_repository_url"
  }
}

run "mutable_tags_and_no_scan" {
  command = plan

  variables {
    enable_ecr_repository    = true
    ecr_image_tag_mutability = "MUTABLE"
    ecr_scan_on_push         = false
  }

  assert {
    condition     = aws_ecr_repository.this[0].image_tag_mutability == "MUTABLE" && !aws_ecr_repository.this[0].image_scanning_configuration[0].scan_on_push
    error_message = "the ECR inputs reach the repository"
  }
}
