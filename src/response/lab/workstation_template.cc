// The forensic workstation's CloudFormation template. Written for real AWS (the AWS::EC2::Instance,
// AWS::EC2::LaunchTemplate, AWS::EC2::SecurityGroup, AWS::IAM::Role and AWS::IAM::InstanceProfile
// reference pages of the CloudFormation User Guide):
//   - the instance in the given subnet (the suspect's AZ), only in its own group, IMDSv2 required
//     through the launch template (AWS::EC2::Instance has no MetadataOptions), an encrypted root
//     volume, termination protection off (it is disposable);
//   - its group admits nothing and lets out only HTTPS (Systems Manager and S3 for the evidence);
//     `lab allow` adds the one egress rule towards the case's allow group;
//   - its role may use Systems Manager (for `lab attach --mount`) and write only under the case's
//     evidence prefix.
// A public IP cannot be refused at launch without a NetworkInterfaces block, which moto ignores
// (the instance then lands in the default VPC); lab-verify removes one instead (AssociatePublicIp-
// Address=false on the ENI), as it fixes the group, egress and metadata options moto ignores.
#include "response/lab/lab.h"

namespace cordon::response::lab {

std::string_view WorkstationTemplate() {
  return R"json({
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "cordon forensic workstation: single use, one per case (cordon lab up / lab down)",
  "Parameters": {
    "CaseId": {"Type": "String", "Description": "the cordon case"},
    "VpcId": {"Type": "AWS::EC2::VPC::Id", "Description": "the suspect's VPC"},
    "SubnetId": {"Type": "AWS::EC2::Subnet::Id", "Description": "a subnet in the suspect's AZ"},
    "ImageId": {"Type": "AWS::EC2::Image::Id", "Description": "the forensic workstation AMI"},
    "InstanceType": {"Type": "String", "Default": "t3.large"},
    "RootDeviceName": {"Type": "String", "Default": "/dev/xvda", "Description": "the AMI's root device"},
    "EvidenceObjectsArn": {"Type": "String", "Default": "",
                           "Description": "arn:aws:s3:::BUCKET/PREFIX/CASE/* the workstation may write; empty: none"}
  },
  "Conditions": {
    "HasEvidence": {"Fn::Not": [{"Fn::Equals": [{"Ref": "EvidenceObjectsArn"}, ""]}]}
  },
  "Resources": {
    "LabGroup": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "cordon forensic workstation: no ingress, HTTPS egress only",
        "VpcId": {"Ref": "VpcId"},
        "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0",
                                 "Description": "Systems Manager and S3"}],
        "Tags": [{"Key": "cordon:case", "Value": {"Ref": "CaseId"}}, {"Key": "cordon:role", "Value": "lab"}]
      }
    },
    "Role": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]
        },
        "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"}],
        "Policies": {"Fn::If": ["HasEvidence", [{
          "PolicyName": "case-evidence-only",
          "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": {"Ref": "EvidenceObjectsArn"}}]
          }
        }], {"Ref": "AWS::NoValue"}]},
        "Tags": [{"Key": "cordon:case", "Value": {"Ref": "CaseId"}}, {"Key": "cordon:role", "Value": "lab"}]
      }
    },
    "Profile": {
      "Type": "AWS::IAM::InstanceProfile",
      "Properties": {"Roles": [{"Ref": "Role"}]}
    },
    "MetadataV2": {
      "Type": "AWS::EC2::LaunchTemplate",
      "Properties": {
        "LaunchTemplateData": {
          "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 1}
        }
      }
    },
    "Workstation": {
      "Type": "AWS::EC2::Instance",
      "Properties": {
        "ImageId": {"Ref": "ImageId"},
        "InstanceType": {"Ref": "InstanceType"},
        "SubnetId": {"Ref": "SubnetId"},
        "SecurityGroupIds": [{"Fn::GetAtt": ["LabGroup", "GroupId"]}],
        "IamInstanceProfile": {"Ref": "Profile"},
        "LaunchTemplate": {"LaunchTemplateId": {"Ref": "MetadataV2"},
                           "Version": {"Fn::GetAtt": ["MetadataV2", "LatestVersionNumber"]}},
        "DisableApiTermination": false,
        "PropagateTagsToVolumeOnCreation": true,
        "BlockDeviceMappings": [{"DeviceName": {"Ref": "RootDeviceName"},
                                 "Ebs": {"Encrypted": true, "VolumeType": "gp3", "VolumeSize": 30,
                                         "DeleteOnTermination": true}}],
        "Tags": [{"Key": "cordon:case", "Value": {"Ref": "CaseId"}},
                 {"Key": "cordon:role", "Value": "forensic-workstation"},
                 {"Key": "Name", "Value": {"Fn::Sub": "cordon-lab-${CaseId}"}}]
      }
    }
  },
  "Outputs": {
    "WorkstationId": {"Value": {"Ref": "Workstation"}},
    "LabGroupId": {"Value": {"Fn::GetAtt": ["LabGroup", "GroupId"]}}
  }
}
)json";
}

}  // namespace cordon::response::lab
