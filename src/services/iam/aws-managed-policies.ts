import type { AwsManagedPolicySeed } from '../../store/meta/sqlite/iam-store.js';

/**
 * AWS-managed policies every account can attach, with AWS's names, paths, ids and the
 * documents of their current default versions. ReadOnlyAccess is a faithful subset: AWS's
 * lists read-only actions of every service; here only those of the services Coffer serves
 * (S3, KMS, IAM, STS, Organizations), as AWS words them.
 */
const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 4);

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicySeed[] = [
  {
    name: 'AdministratorAccess', path: '/', policyId: 'ANPAIWMBCKSKIEE64ZLYK', defaultVersionId: 'v1',
    description: 'Provides full access to AWS services and resources.',
    createDate: new Date('2015-02-06T18:39:46Z'), updateDate: new Date('2015-02-06T18:39:46Z'),
    document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
  },
  {
    name: 'ReadOnlyAccess', path: '/', policyId: 'ANPAILL3HVNFSB6DCOWYQ', defaultVersionId: 'v1',
    description: 'Provides read-only access to AWS services and resources.',
    createDate: new Date('2015-02-06T18:39:48Z'), updateDate: new Date('2015-02-06T18:39:48Z'),
    document: doc([{
      Sid: 'ReadOnlyActions',
      Effect: 'Allow',
      Action: [
        'iam:Generate*', 'iam:Get*', 'iam:List*', 'iam:Simulate*',
        'kms:Describe*', 'kms:Get*', 'kms:List*',
        'organizations:Describe*', 'organizations:List*',
        's3:Describe*', 's3:Get*', 's3:List*',
        'sts:GetAccessKeyInfo', 'sts:GetCallerIdentity', 'sts:GetSessionToken',
      ],
      Resource: '*',
    }]),
  },
  {
    name: 'AmazonS3FullAccess', path: '/', policyId: 'ANPAIFIR6V6BVTRAHWINE', defaultVersionId: 'v2',
    description: 'Provides full access to all buckets via the AWS Management Console.',
    createDate: new Date('2015-02-06T18:40:58Z'), updateDate: new Date('2021-09-27T20:16:37Z'),
    document: doc([{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }]),
  },
  {
    name: 'AmazonS3ReadOnlyAccess', path: '/', policyId: 'ANPAIZTJ4DXE7G6AGAE6M', defaultVersionId: 'v3',
    description: 'Provides read only access to all buckets via the AWS Management Console.',
    createDate: new Date('2015-02-06T18:40:59Z'), updateDate: new Date('2023-08-10T21:31:39Z'),
    document: doc([{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'], Resource: '*' }]),
  },
  {
    name: 'IAMFullAccess', path: '/', policyId: 'ANPAI7XKCFMBPM3QQRRVQ', defaultVersionId: 'v2',
    description: 'Provides full access to IAM via the AWS Management Console.',
    createDate: new Date('2015-02-06T18:40:38Z'), updateDate: new Date('2019-06-21T19:40:00Z'),
    document: doc([{
      Effect: 'Allow',
      Action: [
        'iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization', 'organizations:DescribeOrganizationalUnit',
        'organizations:DescribePolicy', 'organizations:ListChildren', 'organizations:ListParents', 'organizations:ListPoliciesForTarget',
        'organizations:ListRoots', 'organizations:ListPolicies', 'organizations:ListTargetsForPolicy',
      ],
      Resource: '*',
    }]),
  },
  {
    name: 'IAMReadOnlyAccess', path: '/', policyId: 'ANPAJKSO7NDY4T57MWDSQ', defaultVersionId: 'v4',
    description: 'Provides read only access to IAM via the AWS Management Console.',
    createDate: new Date('2015-02-06T18:40:39Z'), updateDate: new Date('2018-01-25T19:11:27Z'),
    document: doc([{ Effect: 'Allow', Action: ['iam:GenerateCredentialReport', 'iam:GenerateServiceLastAccessedDetails', 'iam:Get*', 'iam:List*', 'iam:SimulateCustomPolicy', 'iam:SimulatePrincipalPolicy'], Resource: '*' }]),
  },
];
